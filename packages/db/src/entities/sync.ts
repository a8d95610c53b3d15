import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { entityTypes } from '@pricebook/contracts';
import type { StRecord } from './pricebook';

const p = defineEntity.properties;

export const syncTypes = ['full', 'incremental', 'push', 'resolve'] as const;
export const syncDirections = ['from_st', 'to_st', 'bidirectional'] as const;
/** A sync's statuses; the sync life cycle (`sync-life-cycle/transitions.ts`) says how it moves. */
export const syncLogStatuses = ['queued', 'running', 'pushing', 'completed', 'failed', 'cancelled'] as const;
export const conflictTypes = [
  'both_modified',
  'local_deleted_st_modified',
  'st_deleted_local_modified',
] as const;
export const conflictStatuses = ['unresolved', 'resolved', 'superseded'] as const;
export const conflictResolutions = ['keep_st', 'keep_local', 'merge'] as const;

export type SyncType = (typeof syncTypes)[number];
export type SyncDirection = (typeof syncDirections)[number];
export type SyncLogStatus = (typeof syncLogStatuses)[number];
export type ConflictType = (typeof conflictTypes)[number];
export type ConflictStatus = (typeof conflictStatuses)[number];
export type ConflictResolution = (typeof conflictResolutions)[number];

/** Per-entity counters kept in `entity_stats`, same names as the sync log's columns. */
export interface EntityCounters {
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  conflicts: number;
  errors: number;
}

const uuidPk = () =>
  p
    .uuid()
    .primary()
    .defaultRaw('gen_random_uuid()')
    .onCreate(() => randomUUID());
const counter = () => p.integer().default(0);

/** One row per sync run (the spec's `pricebook_sync_log`). */
export const SyncLog = defineEntity({
  name: 'SyncLog',
  tableName: 'pricebook_sync_log',
  indexes: [{ name: 'pricebook_sync_log_tenant_created_idx', properties: ['tenantId', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    tenantId: p.bigint('string'),
    syncType: p.enum([...syncTypes]),
    direction: p.enum([...syncDirections]),
    options: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    dryRun: p.boolean().default(false),
    status: p.enum([...syncLogStatuses]).default('queued'),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    durationMs: p.integer().nullable(),
    recordsFetched: counter(),
    recordsCreated: counter(),
    recordsUpdated: counter(),
    recordsDeleted: counter(),
    recordsSkipped: counter(),
    conflicts: counter(),
    errors: counter(),
    entityStats: p.json<Partial<Record<(typeof entityTypes)[number], EntityCounters>>>().defaultRaw(`'{}'`),
    errorMessage: p.text().nullable(),
    triggeredBy: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    /** The push brake's measure of the push part (`PushImpact` in the contracts). */
    pushImpact: p.json<Record<string, unknown>>().nullable(),
  },
});
export type SyncLog = InferEntity<typeof SyncLog>;

/**
 * The lock that makes "one running sync per tenant and entity" enforceable: the primary key
 * admits one row per (tenant, entity). A row whose heartbeat went stale belongs to a crashed
 * process and may be taken over (see `acquireSyncRun`).
 */
export const SyncRun = defineEntity({
  name: 'SyncRun',
  tableName: 'pricebook_sync_runs',
  properties: {
    tenantId: p.bigint('string').primary(),
    entityType: p.enum([...entityTypes]).primary(),
    syncLogId: p.uuid(),
    startedAt: p.datetime().defaultRaw('now()'),
    heartbeatAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncRun = InferEntity<typeof SyncRun>;

/** A three-way disagreement a person (or a strategy) settles; at most one unresolved per record. */
export const SyncConflict = defineEntity({
  name: 'SyncConflict',
  tableName: 'pricebook_sync_conflicts',
  indexes: [
    {
      name: 'pricebook_sync_conflicts_one_unresolved',
      expression: `create unique index "pricebook_sync_conflicts_one_unresolved" on "pricebook_sync_conflicts" ("tenant_id", "entity_type", "record_id") where "status" = 'unresolved'`,
    },
    { name: 'pricebook_sync_conflicts_tenant_status_idx', properties: ['tenantId', 'status', 'createdAt'] },
  ],
  properties: {
    id: uuidPk(),
    tenantId: p.bigint('string'),
    entityType: p.enum([...entityTypes]),
    recordId: p.uuid(),
    stId: p.bigint('string').nullable(),
    conflictType: p.enum([...conflictTypes]),
    stVersion: p.json<StRecord>().nullable(),
    localVersion: p.json<StRecord>().nullable(),
    baseVersion: p.json<StRecord>().nullable(),
    fieldDiff: p.json<Record<string, unknown>>().nullable(),
    status: p.enum([...conflictStatuses]).default('unresolved'),
    resolution: p.enum([...conflictResolutions]).nullable(),
    resolvedData: p.json<StRecord>().nullable(),
    resolvedBy: p.text().nullable(),
    resolvedAt: p.datetime().nullable(),
    /**
     * Who last looked at the conflict and left it for later (strategy `manual`), when, and
     * their note. A person's note on a conflict, not a pricebook edit: no audit row, no event.
     */
    reviewedBy: p.text().nullable(),
    reviewedAt: p.datetime().nullable(),
    reviewNote: p.text().nullable(),
    syncLogId: p.uuid().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncConflict = InferEntity<typeof SyncConflict>;

/**
 * Where each entity's feed resumes. `cursorModifiedOn` keeps ST's raw string (up to 7 fractional
 * digits) because a timestamptz would drop the last digit and break the tie-safe cursor.
 */
export const SyncState = defineEntity({
  name: 'SyncState',
  tableName: 'pricebook_sync_state',
  properties: {
    tenantId: p.bigint('string').primary(),
    entityType: p.enum([...entityTypes]).primary(),
    exportToken: p.text().nullable(),
    cursorModifiedOn: p.text().nullable(),
    cursorStId: p.bigint('string').nullable(),
    lastFullSyncAt: p.datetime().nullable(),
    lastIncrementalSyncAt: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncState = InferEntity<typeof SyncState>;

export const syncItemActions = [
  'create',
  'update',
  'skip',
  'delete',
  'conflict',
  'quarantine',
  'merge',
] as const;
export type SyncItemAction = (typeof syncItemActions)[number];

/**
 * The ledger of one sync: one row per record the sync has accounted for. Its primary key makes
 * counting idempotent (a redelivered decision is not counted twice), a full sync's deletion sweep
 * reads which ST ids were seen from it, and a dry run's plan (per-record field diffs) is its
 * `detail`. Rows of a completed, non-dry-run sync are pruned.
 */
export const SyncItem = defineEntity({
  name: 'SyncItem',
  tableName: 'pricebook_sync_items',
  properties: {
    syncLogId: p.uuid().primary(),
    entityType: p.enum([...entityTypes]).primary(),
    /** The ST id as text, or `invalid:<hash>` for a record too broken to have one. */
    itemKey: p.text().primary(),
    action: p.enum([...syncItemActions]),
    recordId: p.uuid().nullable(),
    stId: p.bigint('string').nullable(),
    detail: p.json<Record<string, unknown>>().nullable(),
    /**
     * The ST versions of the record (`modifiedOn`, or `invalid` for a quarantined one) the sync
     * has accounted for: a record ST changed while the sync read it comes twice, and the entity
     * is finished only once every version the fetcher handed on is here.
     */
    versions: p.array<string>().columnType('text[]').defaultRaw(`'{}'`),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type SyncItem = InferEntity<typeof SyncItem>;
