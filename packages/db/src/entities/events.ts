import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import {
  type ChangeOrigin,
  changeOperations,
  changeOrigins,
  changeSetKinds,
  entityTypes,
} from '@pricebook/contracts';
import type { StRecord } from './pricebook';

const p = defineEntity.properties;

export type { ChangeOperation } from '@pricebook/contracts';
export { changeOperations } from '@pricebook/contracts';
/** Who made a write; the value of the `pricebook.origin` session setting (the events' `origin`). */
export const writeOrigins = changeOrigins;
export type WriteOrigin = ChangeOrigin;

const uuidPk = () =>
  p
    .uuid()
    .primary()
    .defaultRaw('gen_random_uuid()')
    .onCreate(() => randomUUID());
// bigserial gives a total order of inserts; MikroORM reads it back from the database exactly.
const identity = () => p.bigint('string').autoincrement();

/** The audit trail (`pricebook_changes`): written by triggers, one row per content change. */
export const Change = defineEntity({
  name: 'Change',
  tableName: 'pricebook_changes',
  indexes: [
    { name: 'pricebook_changes_record_idx', properties: ['tenantId', 'entityType', 'recordId', 'seq'] },
    // The audit trail's reads (`GET /api/changes`): newest first by (created_at, seq), whole or
    // by sync or actor, each an index range read backwards.
    { name: 'pricebook_changes_tenant_time_idx', properties: ['tenantId', 'createdAt', 'seq'] },
    { name: 'pricebook_changes_sync_time_idx', properties: ['syncLogId', 'createdAt', 'seq'] },
    { name: 'pricebook_changes_actor_time_idx', properties: ['tenantId', 'actor', 'createdAt', 'seq'] },
    // One change-set's changes, in the order they were made; revert reads them and counts them.
    { name: 'pricebook_changes_changeset_idx', properties: ['changeSetId', 'seq'] },
  ],
  properties: {
    id: uuidPk(),
    seq: identity(),
    tenantId: p.bigint('string'),
    entityType: p.enum([...entityTypes]),
    recordId: p.uuid(),
    stId: p.bigint('string').nullable(),
    operation: p.enum([...changeOperations]),
    origin: p.enum([...changeOrigins]),
    before: p.json<StRecord>().nullable(),
    after: p.json<StRecord>().nullable(),
    changedFields: p.array<string>().columnType('text[]').defaultRaw(`'{}'`),
    syncLogId: p.uuid().nullable(),
    actor: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    /** The change-set the change belongs to (`pricebook_changesets`); null for a bare SQL edit. */
    changeSetId: p.uuid().fieldName('changeset_id').nullable(),
  },
});
export type Change = InferEntity<typeof Change>;

/**
 * A change-set (`pricebook_changesets`): the audit rows one sync run, API edit, inbound batch,
 * resolution or revert wrote. The capture triggers insert it with its first audit row, in the same
 * transaction; a revert inserts its own first, linked both ways to the change-set it undoes. Its
 * counts are read from its audit rows (`pricebook_changes_changeset_idx`), not kept here: a sync's
 * change-set is written by many transactions at once, and a counter row would serialize them.
 */
export const ChangeSet = defineEntity({
  name: 'ChangeSet',
  tableName: 'pricebook_changesets',
  indexes: [{ name: 'pricebook_changesets_tenant_time_idx', properties: ['tenantId', 'createdAt', 'id'] }],
  uniques: [{ name: 'pricebook_changesets_reverts_unique', properties: ['revertsChangeSetId'] }],
  properties: {
    id: p.uuid().primary(),
    tenantId: p.bigint('string'),
    kind: p.enum([...changeSetKinds]),
    actor: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    /** The change-set this one undoes (kind `revert`). */
    revertsChangeSetId: p.uuid().fieldName('reverts_changeset_id').nullable(),
    /** The revert that undid this one; set once, so a second revert is refused. */
    revertedByChangeSetId: p.uuid().fieldName('reverted_by_changeset_id').nullable(),
  },
});
export type ChangeSet = InferEntity<typeof ChangeSet>;

/**
 * Transactional outbox. `id` is the public event id and the `Nats-Msg-Id`, so a relay that
 * publishes a row twice is deduplicated by JetStream.
 */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'pricebook_outbox',
  indexes: [
    {
      name: 'pricebook_outbox_unpublished_idx',
      expression: `create index "pricebook_outbox_unpublished_idx" on "pricebook_outbox" ("seq") where "published_at" is null`,
    },
    {
      // Housekeeping deletes published rows oldest first, a range of this index per batch.
      name: 'pricebook_outbox_published_idx',
      expression: `create index "pricebook_outbox_published_idx" on "pricebook_outbox" ("tenant_id", "published_at") where "published_at" is not null`,
    },
  ],
  properties: {
    id: uuidPk(),
    seq: identity(),
    tenantId: p.bigint('string'),
    subject: p.text(),
    eventType: p.text(),
    payload: p.json<Record<string, unknown>>(),
    correlationId: p.uuid().nullable(),
    causationId: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    publishedAt: p.datetime().nullable(),
    /**
     * The audit row a `record.*` event announces; the relay builds the event's data from it
     * (`recordEventData`). Null for every other message, and for rows written before the
     * `events-from-audit` migration, which carry their whole payload.
     */
    changeId: p.uuid().nullable(),
  },
});
export type OutboxMessage = InferEntity<typeof OutboxMessage>;

/** A ServiceTitan record that failed validation, kept for inspection (counted in `errors`). */
export const QuarantinedRecord = defineEntity({
  name: 'QuarantinedRecord',
  tableName: 'pricebook_quarantine',
  indexes: [{ name: 'pricebook_quarantine_tenant_created_idx', properties: ['tenantId', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    tenantId: p.bigint('string'),
    syncLogId: p.uuid().nullable(),
    entityType: p.enum([...entityTypes]),
    stId: p.bigint('string').nullable(),
    raw: p.json<unknown>(),
    reason: p.text(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type QuarantinedRecord = InferEntity<typeof QuarantinedRecord>;

/**
 * A message a consumer terminated as poison. Also serves inbound rejections. `tenantId` is
 * nullable because a message too broken to parse may not say whose it is. The unique key makes
 * recording idempotent when the same delivery is terminated twice after a crash.
 */
export const DeadLetter = defineEntity({
  name: 'DeadLetter',
  tableName: 'pricebook_dead_letters',
  uniques: [
    { name: 'pricebook_dead_letters_delivery_unique', properties: ['stream', 'consumer', 'streamSeq'] },
  ],
  indexes: [{ name: 'pricebook_dead_letters_created_idx', properties: ['createdAt'] }],
  properties: {
    id: uuidPk(),
    tenantId: p.bigint('string').nullable(),
    stream: p.text(),
    consumer: p.text(),
    subject: p.text(),
    streamSeq: p.bigint('string'),
    deliveryCount: p.integer(),
    payload: p.text(),
    reason: p.text(),
    createdAt: p.datetime().defaultRaw('now()'),
    // Set together when an operator discards the letter on purpose; the row stays, as the trace,
    // until retention purges it like any other.
    discardedAt: p.datetime().nullable(),
    discardedBy: p.text().nullable(),
    discardReason: p.text().nullable(),
  },
});
export type DeadLetter = InferEntity<typeof DeadLetter>;
