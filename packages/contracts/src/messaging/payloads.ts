import { z } from 'zod';
import { ChangeSetKind } from '../domain';
import { EntityType, entityTypes } from '../entities';
import { SafeText } from '../limits';
import { StId, StTimestamp } from '../st/primitives';
import {
  Actor,
  ChangeOrigin,
  ConflictResolution,
  ConflictStrategy,
  ConflictType,
  ContentHash,
  JsonObject,
  RecordId,
  SyncDirection,
  SyncLogId,
  SyncStats,
  SyncType,
} from './common';
import { IsoDateTime } from './envelope';

// Within `.v1` only optional fields may be added; anything else is a `.v2` beside it.

const distinct = (list: readonly (string | number)[]) => new Set(list).size === list.length;

/** Ids one targeted sync may name per entity: a drift report keeps at most this many items. */
export const maxTargetedIds = 1_000;

/** `pricebook.cmd.<tenant>.sync.v1`: run one sync (the original spec's options). */
export const SyncCommandData = z.object({
  syncLogId: SyncLogId,
  direction: SyncDirection.default('from_st'),
  entityTypes: z
    .array(EntityType)
    .min(1)
    .refine(distinct, 'entity types must not repeat')
    .default([...entityTypes]),
  fullSync: z.boolean().default(false),
  resolveConflicts: ConflictStrategy.default('manual'),
  dryRun: z.boolean().default(false),
  /** Lets a full sync delete more than the configured share of an entity. */
  allowMassDelete: z.boolean().optional(),
  /** Lets the push part send more or larger price changes, or deletions, than the push brake allows. */
  allowMassChange: z.boolean().optional(),
  requestedBy: Actor.optional(),
  /**
   * Where each entity's export feed resumes (incremental syncs), read when the sync was created
   * under its run lock; an entity without one starts from the beginning of its feed.
   */
  exportTokens: z.partialRecord(EntityType, z.string().min(1)).optional(),
  /**
   * Only these ServiceTitan items, per entity, read by id (`ids=`) instead of the whole feed (a
   * drift report's targeted re-sync). An entity of `entityTypes` without ids here reads nothing.
   */
  stIds: z
    .partialRecord(
      EntityType,
      z.array(StId).min(1).max(maxTargetedIds).refine(distinct, 'ids must not repeat'),
    )
    .optional(),
});
export type SyncCommandData = z.infer<typeof SyncCommandData>;

/** `pricebook.cmd.<tenant>.resolve.v1`: settle one conflict. */
export const ResolveCommandData = z
  .object({
    conflictId: z.guid(),
    strategy: ConflictResolution,
    /** For `merge`: which side wins, field by field (ST camelCase names). */
    fields: z.record(SafeText.min(1).max(200), z.enum(['st', 'local'])).optional(),
    /** For `merge`: values typed by a person, winning over both sides. */
    values: JsonObject.optional(),
    resolvedBy: Actor,
    syncLogId: SyncLogId.optional(),
  })
  .refine((d) => d.strategy !== 'merge' || d.fields !== undefined || d.values !== undefined, {
    message: 'merge needs fields or values',
    path: ['fields'],
  });
export type ResolveCommandData = z.infer<typeof ResolveCommandData>;

/** `pricebook.cmd.<tenant>.push.v1`: send pending local edits to ServiceTitan. */
export const PushCommandData = z.object({
  syncLogId: SyncLogId,
  entityTypes: z
    .array(EntityType)
    .min(1)
    .refine(distinct, 'entity types must not repeat')
    .default([...entityTypes]),
  /** Only these rows; all `pending_sync` rows when absent. */
  recordIds: z.array(RecordId).min(1).max(1000).optional(),
  dryRun: z.boolean().default(false),
  /** A push without a sync log says it here; a sync's push reads its sync's options. */
  allowMassChange: z.boolean().optional(),
  requestedBy: Actor.optional(),
});
export type PushCommandData = z.infer<typeof PushCommandData>;

/**
 * `pricebook.cmd.<tenant>.drift.v1`: compare ServiceTitan with the local copy and store a drift
 * report (message id `drift:<checkId>`). Read only: nothing enters the pipeline, no pricebook row
 * is written.
 */
export const DriftCommandData = z.object({
  /** The report row the check fills in (`pricebook_drift_reports.id`). */
  checkId: z.guid(),
  /** `schedule` (DRIFT_CRON) or `operator` (`POST /api/drift/check`). */
  trigger: z.enum(['schedule', 'operator']),
  requestedBy: Actor.optional(),
});
export type DriftCommandData = z.infer<typeof DriftCommandData>;

/** The scheduler's two timed syncs. */
export const ScheduleName = z.enum(['full', 'incremental']);
export type ScheduleName = z.infer<typeof ScheduleName>;

/**
 * `pricebook.cmd.<tenant>.scheduler.v1`: start or stop the timed syncs, or one `tick` of a
 * schedule (message id `tick:<schedule>:<tickAt>`, so every replica's copy of a tick is one message).
 * Only the scheduler consumes this subject, so `tick` joined the actions within v1.
 */
export const SchedulerCommandData = z.object({
  action: z.enum(['start', 'stop', 'tick']),
  requestedBy: Actor.optional(),
  /** With `tick`: which schedule fired. */
  schedule: ScheduleName.optional(),
  /** With `tick`: the scheduled instant (not the wall clock when it fired). */
  tickAt: IsoDateTime.optional(),
});
export type SchedulerCommandData = z.infer<typeof SchedulerCommandData>;

/** `pricebook.pipe.<tenant>.<entity>.observed.v1`: one ST record as the fetcher saw it. */
export const RecordObservedData = z.object({
  syncLogId: SyncLogId,
  entity: EntityType,
  stId: StId,
  /** ST's `modifiedOn`, in the canonical 7-digit UTC form. */
  modifiedOn: StTimestamp,
  record: JsonObject,
  hash: ContentHash,
  /** ST no longer has the record (an export row that a look-up by id did not find). */
  deleted: z.boolean().optional(),
});
export type RecordObservedData = z.infer<typeof RecordObservedData>;

/**
 * `merge`: ST and local changed disjoint fields; `local` carries the merged record.
 * `quarantine`: an ST record that failed validation; the fetcher sends it straight to the applier.
 */
export const DecisionAction = z.enum([
  'create',
  'update',
  'skip',
  'delete',
  'conflict',
  'merge',
  'quarantine',
]);
export type DecisionAction = z.infer<typeof DecisionAction>;

/** `pricebook.pipe.<tenant>.<entity>.decided.v1`: what the applier must do with one record. */
export const RecordDecidedData = z.object({
  syncLogId: SyncLogId,
  entity: EntityType,
  stId: StId,
  /** The local row, when there is one. */
  recordId: RecordId.optional(),
  action: DecisionAction,
  changedFields: z.array(z.string().min(1)).optional(),
  /** The record to write (create/update), or ST's version (conflict). */
  record: JsonObject.optional(),
  hash: ContentHash.optional(),
  /** The base snapshot the decision was made against. */
  base: JsonObject.nullable().optional(),
  modifiedOn: StTimestamp.optional(),
  /** The local row's version the comparator saw; the applier writes only if it is unchanged. */
  expected: z
    .object({
      contentHash: ContentHash.nullable(),
      localModifiedAt: IsoDateTime.nullable(),
      /** The row's `version`; a row whose version moved since is compared again. */
      version: z.number().int().positive().optional(),
    })
    .optional(),
  conflictType: ConflictType.optional(),
  /** For `conflict`: the sync's `resolveConflicts` settled it at once (absent: queued for a person). */
  autoResolve: z.enum(['keep_st', 'keep_local']).optional(),
  /** Field by field: `{ field: { base, st, local } }`. */
  fieldDiff: z
    .record(z.string(), z.object({ base: z.unknown(), st: z.unknown(), local: z.unknown() }))
    .optional(),
  /** The local version (conflict), or the merged record (auto-merge). */
  local: JsonObject.nullable().optional(),
  /** For `quarantine`: why the record was refused, and its ledger key (`stId` is 0 when unknown). */
  invalid: z.object({ reason: z.string().min(1), key: z.string().min(1) }).optional(),
});
export type RecordDecidedData = z.infer<typeof RecordDecidedData>;

/** `pricebook.pipe.<tenant>.sync.fence.v1`: the fetcher has published everything of one entity. */
export const SyncFenceData = z.object({
  syncLogId: SyncLogId,
  entity: EntityType,
  /**
   * How many distinct records (valid ones as `observed`, invalid ones as `quarantine` decisions)
   * were published for this entity in this sync; the entity is done when the applier has
   * accounted for this many.
   */
  published: z.number().int().nonnegative(),
  /**
   * How many distinct record versions were published: a valid record counts once per
   * `modifiedOn` it was seen at (ST changed it while the sync read it), an invalid one once. The
   * entity is done only when the applier has accounted for every one, so the export token never
   * moves past a newer version still in flight. Absent from older fetchers: `published` alone.
   */
  versions: z.number().int().nonnegative().optional(),
  /** ST records that could not be read or parsed (counted, kept for inspection). */
  errors: z.number().int().nonnegative(),
  /** The export continuation token to save once everything before it is applied. */
  exportToken: z.string().min(1).nullable().optional(),
  /** Reading ServiceTitan failed: the sync fails and, for a full sync, nothing is swept. */
  failed: z.object({ code: z.string().min(1), message: z.string() }).optional(),
});
export type SyncFenceData = z.infer<typeof SyncFenceData>;

/** The change events' shape; `operation` matches the subject's last token but one. */
export const RecordEventData = z.object({
  entity: EntityType,
  recordId: RecordId,
  stId: StId.nullable(),
  operation: z.enum(['created', 'updated', 'deleted', 'conflicted', 'resolved']),
  origin: ChangeOrigin,
  before: JsonObject.nullable(),
  after: JsonObject.nullable(),
  changedFields: z.array(z.string().min(1)),
  syncLogId: SyncLogId.nullable().optional(),
  actor: Actor.nullable().optional(),
  /** For `conflicted` and `resolved`. */
  conflictId: z.guid().optional(),
  conflictType: ConflictType.optional(),
  changeSetId: z.guid().optional().meta({
    description:
      "The change-set that made the change (the audit row's change-set: one sync, bulk edit, edit, inbound batch, resolution, revert or assistant confirmation); `GET /api/changesets/{id}` lists its changes. Absent when the change belongs to none, and on a conflict event whose conflict changed no row.",
  }),
});
export type RecordEventData = z.infer<typeof RecordEventData>;

const recordEvent = <O extends RecordEventData['operation']>(operation: O) =>
  RecordEventData.extend({ operation: z.literal(operation) });

export const RecordCreatedData = recordEvent('created');
export const RecordUpdatedData = recordEvent('updated');
export const RecordDeletedData = recordEvent('deleted');
export const RecordConflictedData = recordEvent('conflicted');
export const RecordResolvedData = recordEvent('resolved');

/** The sync lifecycle events' shape. */
export const SyncEventData = z.object({
  syncLogId: SyncLogId,
  // A `resolve` sync has no lifecycle events.
  syncType: SyncType.exclude(['resolve']),
  status: z.enum(['running', 'completed', 'failed']),
  stats: SyncStats,
  direction: SyncDirection.optional(),
  entityTypes: z.array(EntityType).optional(),
  dryRun: z.boolean().optional(),
  startedAt: IsoDateTime.optional(),
  completedAt: IsoDateTime.optional(),
  durationMs: z.number().int().nonnegative().optional(),
  /** For `failed`: the error code and a message safe to show. */
  error: z.object({ code: z.string().min(1), message: z.string() }).optional(),
});
export type SyncEventData = z.infer<typeof SyncEventData>;

export const SyncStartedData = SyncEventData.extend({ status: z.literal('running') });
export const SyncProgressData = SyncEventData.extend({ status: z.literal('running') });
export const SyncCompletedData = SyncEventData.extend({ status: z.literal('completed') });
export const SyncFailedData = SyncEventData.extend({ status: z.literal('failed') });

/**
 * `pricebook.events.<tenant>.changeset.reverted.v1`: a change-set was reverted. Each row it wrote
 * back has its own `record.*` event (origin `revert`); this one says which change-set undid which.
 */
export const ChangeSetRevertedData = z.object({
  /** The revert's own change-set (kind `revert`). */
  changeSetId: z.guid(),
  /** The change-set it undid. */
  revertsChangeSetId: z.guid(),
  /** What the undone change-set was. */
  revertedKind: ChangeSetKind,
  actor: Actor,
  /** Rows written back. */
  reverted: z.number().int().nonnegative(),
  /** Rows left alone because someone changed them since (or they could not be put back). */
  skipped: z.number().int().nonnegative(),
  /** The entity types of the rows written back. */
  entityTypes: z.array(EntityType),
});
export type ChangeSetRevertedData = z.infer<typeof ChangeSetRevertedData>;

const stFieldName = /^[a-z][A-Za-z0-9]*$/;
const stFieldNameMaxLength = 100;

/**
 * ST field names as other systems send them: camelCase. A name's length is checked before the
 * pattern, and a long one is quoted cut short, so the reason recorded stays readable.
 */
const StFields = z.record(z.string(), z.unknown()).superRefine((record, ctx) => {
  for (const key of Object.keys(record)) {
    if (key.length > stFieldNameMaxLength) {
      const message = `field names are at most ${stFieldNameMaxLength} characters`;
      ctx.addIssue({ code: 'custom', path: [`${key.slice(0, 40)}…`], message });
    } else if (!stFieldName.test(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'field names are ST camelCase' });
    }
  }
});

/** `pricebook.inbound.<tenant>.<entity>.upsert.v1`: another system's edit, applied as a local edit. */
export const InboundUpsertData = z
  .object({
    entity: EntityType,
    /** Identifies the row by its ST id… */
    stId: StId.optional(),
    /** …or by its local id; with neither, a new row is created. */
    recordId: RecordId.optional(),
    record: StFields.refine((r) => Object.keys(r).length > 0, 'record must change at least one field'),
    actor: Actor.optional(),
  })
  .refine((d) => d.stId === undefined || d.recordId === undefined, {
    message: 'give stId or recordId, not both',
    path: ['recordId'],
  });
export type InboundUpsertData = z.infer<typeof InboundUpsertData>;

/** `pricebook.inbound.<tenant>.<entity>.delete.v1`: another system deletes a row. */
export const InboundDeleteData = z
  .object({
    entity: EntityType,
    stId: StId.optional(),
    recordId: RecordId.optional(),
    actor: Actor.optional(),
  })
  .refine((d) => (d.stId === undefined) !== (d.recordId === undefined), {
    message: 'give exactly one of stId or recordId',
    path: ['stId'],
  });
export type InboundDeleteData = z.infer<typeof InboundDeleteData>;
