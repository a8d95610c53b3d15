import { z } from 'zod';
import { ChangeSetKind } from '../domain';
import { EntityType } from '../entities';
import { BULK_EDIT_MAX_ITEMS, SafeText } from '../limits';
import { JsonObject } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { PricebookChange } from './changes';
import { Page, pageCursor, pageLimit } from './page';
import { PricebookItem } from './pricebook';

const changeSetId = 'e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b';
const revertId = '5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a';
const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const actor = 'api:operator:3f9a0c1b2d4e';

/** How many changes of each operation a change-set holds. */
export const ChangeSetCounts = z
  .object({
    changes: z.number().int().meta({ description: 'Audit rows in the change-set' }),
    records: z.number().int().meta({ description: 'Distinct rows they changed' }),
    created: z.number().int(),
    updated: z.number().int(),
    deleted: z.number().int(),
    restored: z.number().int(),
  })
  .meta({ id: 'ChangeSetCounts' });
export type ChangeSetCounts = z.infer<typeof ChangeSetCounts>;

/**
 * A change-set: the audit rows one sync run, API edit or bulk edit, inbound batch, conflict
 * resolution or revert wrote. A revert is a change-set of its own, linked both ways.
 */
export const ChangeSet = z
  .object({
    id: z.guid().meta({ description: "The change-set's id; a sync's is the sync id" }),
    kind: ChangeSetKind,
    actor: z
      .string()
      .nullable()
      .meta({ description: 'Who made it: an API key label, `applier`, `inbound`…' }),
    createdAt: IsoDateTime.meta({ description: 'When its first change was written' }),
    entityTypes: z.array(EntityType).meta({ description: 'The entity types it changed' }),
    counts: ChangeSetCounts,
    revertsChangeSetId: z.guid().nullable().meta({ description: 'For a revert: the change-set it undid' }),
    revertedByChangeSetId: z
      .guid()
      .nullable()
      .meta({ description: 'The revert that undid it; a change-set is reverted at most once' }),
  })
  .meta({ id: 'ChangeSet' });
export type ChangeSet = z.infer<typeof ChangeSet>;

const changeSetExample: ChangeSet = {
  id: changeSetId,
  kind: 'bulk_edit',
  actor,
  createdAt: '2025-12-06T09:30:00.000Z',
  entityTypes: ['materials'],
  counts: { changes: 43, records: 43, created: 0, updated: 43, deleted: 0, restored: 0 },
  revertsChangeSetId: null,
  revertedByChangeSetId: null,
};

/** The query of `GET /api/changesets`: newest first, with filters. */
export const ChangeSetsQuery = z
  .object({
    limit: pageLimit(50, 200),
    cursor: pageCursor(),
    kind: ChangeSetKind.optional().meta({ param: { name: 'kind', in: 'query' }, example: 'bulk_edit' }),
    actor: SafeText.min(1)
      .max(200)
      .optional()
      .meta({ param: { name: 'actor', in: 'query' }, description: 'Exactly this actor', example: actor }),
    entity: EntityType.optional().meta({
      param: { name: 'entity', in: 'query' },
      description: 'Only change-sets that changed rows of this entity type',
      example: 'materials',
    }),
    since: IsoDateTime.optional().meta({
      param: { name: 'since', in: 'query' },
      description: 'Only change-sets made at or after this instant',
      example: '2025-12-01T00:00:00Z',
    }),
    until: IsoDateTime.optional().meta({
      param: { name: 'until', in: 'query' },
      description: 'Only change-sets made before this instant (not at it)',
      example: '2025-12-08T00:00:00Z',
    }),
  })
  .refine(
    (q) => q.since === undefined || q.until === undefined || Date.parse(q.since) <= Date.parse(q.until),
    { path: ['until'], message: 'must not be before since' },
  );
export type ChangeSetsQuery = z.infer<typeof ChangeSetsQuery>;

/** `GET /api/changesets`. */
export const ChangeSetsResponse = z
  .object({ success: z.literal(true), changeSets: z.array(ChangeSet), page: Page })
  .meta({
    id: 'ChangeSetList',
    example: { success: true, changeSets: [changeSetExample], page: { limit: 50, nextCursor: null } },
  });
export type ChangeSetsResponse = z.infer<typeof ChangeSetsResponse>;

/** The path of `/api/changesets/{id}…`. */
export const ChangeSetParams = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: changeSetId }),
});
export type ChangeSetParams = z.infer<typeof ChangeSetParams>;

/** The query of `GET /api/changesets/{id}`: its changes in the order they were made, paged. */
export const ChangeSetQuery = z.object({ limit: pageLimit(50, 200), cursor: pageCursor() });
export type ChangeSetQuery = z.infer<typeof ChangeSetQuery>;

/** `GET /api/changesets/{id}`. */
export const ChangeSetResponse = z
  .object({
    success: z.literal(true),
    changeSet: ChangeSet,
    changes: z.array(PricebookChange).meta({ description: 'Its changes, in the order they were made' }),
    page: Page,
  })
  .meta({
    id: 'ChangeSetDetail',
    example: {
      success: true,
      changeSet: changeSetExample,
      changes: [
        {
          id: 'a7c1e0d2-3b4f-4a5e-9c6d-1e2f3a4b5c6d',
          occurredAt: '2025-12-06T09:30:00.000Z',
          entity: 'materials',
          recordId,
          stId: 48213,
          operation: 'update',
          origin: 'local',
          actor,
          syncLogId: null,
          changeSetId,
          changedFields: ['price'],
          before: { id: 48213, code: 'CU-12', price: 42.5 },
          after: { id: 48213, code: 'CU-12', price: 46.75 },
        },
      ],
      page: { limit: 50, nextCursor: null },
    },
  });
export type ChangeSetResponse = z.infer<typeof ChangeSetResponse>;

/** The body of `POST /api/changesets/{id}/revert`. */
export const RevertBody = z
  .object({
    dryRun: z
      .boolean()
      .default(true)
      .meta({ description: 'Only say what a revert would do (the default); `false` to revert' }),
  })
  .meta({ id: 'RevertBody', example: { dryRun: false } });
export type RevertBody = z.infer<typeof RevertBody>;

/** What a revert writes back to one row. */
export const RevertAction = z.enum(['update', 'delete', 'restore']).meta({
  description:
    '`update`: the fields get their before-values; `delete`: a row the change-set created is deleted; ' +
    '`restore`: a row it deleted is brought back with its before-values',
});
export type RevertAction = z.infer<typeof RevertAction>;

/** One row a revert writes back (or would). */
export const RevertedRow = z
  .object({
    entity: EntityType,
    recordId: z.guid(),
    stId: z.number().int().nullable(),
    action: RevertAction,
    fields: z.array(z.string()).meta({ description: 'The fields written back (sorted)' }),
    values: JsonObject.meta({ description: 'The values written back' }),
  })
  .meta({ id: 'RevertedRow' });
export type RevertedRow = z.infer<typeof RevertedRow>;

/** Why a revert leaves a row (or some of its fields) alone. */
export const RevertSkipReason = z.enum(['changed_since', 'in_conflict', 'gone', 'read_only', 'invalid']);
export type RevertSkipReason = z.infer<typeof RevertSkipReason>;

/** A row, or some fields of one, a revert leaves as they are. */
export const SkippedRow = z
  .object({
    entity: EntityType,
    recordId: z.guid(),
    stId: z.number().int().nullable(),
    fields: z
      .array(z.string())
      .meta({ description: 'The fields left alone; every changed field if the whole row' }),
    reason: RevertSkipReason.meta({
      description:
        "`changed_since`: a later change (not this change-set's) touched it; `in_conflict`: the row has an " +
        'open conflict; `gone`: the row no longer exists; `read_only`: ServiceTitan does not take the ' +
        'field from an edit; `invalid`: the before-value is not a valid edit today',
    }),
    message: z.string(),
    laterChangeId: z.guid().nullable().meta({ description: 'For `changed_since`: the first later change' }),
  })
  .meta({ id: 'SkippedRow' });
export type SkippedRow = z.infer<typeof SkippedRow>;

/** `POST /api/changesets/{id}/revert`: what was (or would be) written back and what was left alone. */
export const RevertResponse = z
  .object({
    success: z.literal(true),
    dryRun: z.boolean(),
    revertsChangeSetId: z.guid(),
    changeSetId: z.guid().nullable().meta({ description: "The revert's own change-set (null on a dry run)" }),
    reverted: z.array(RevertedRow),
    skipped: z.array(SkippedRow),
  })
  .meta({
    id: 'RevertResult',
    example: {
      success: true,
      dryRun: false,
      revertsChangeSetId: changeSetId,
      changeSetId: revertId,
      reverted: [
        {
          entity: 'materials',
          recordId,
          stId: 48213,
          action: 'update',
          fields: ['price'],
          values: { price: 42.5 },
        },
      ],
      skipped: [
        {
          entity: 'materials',
          recordId: '1c9e5f2a-7b3d-4e8f-9a6c-2d1e0f3b4a5c',
          stId: 48214,
          fields: ['price'],
          reason: 'changed_since',
          message: 'price was changed after this change-set (by api:pricing-tool); it keeps its later value',
          laterChangeId: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f',
        },
      ],
    },
  });
export type RevertResponse = z.infer<typeof RevertResponse>;

/** One row of a bulk edit: which row, and only the fields to change (as a single PATCH). */
export const BulkEditItem = z.object({
  id: SafeText.min(1)
    .max(64)
    .meta({ description: 'The local uuid, or `st:<stId>` for the ServiceTitan id', example: 'st:48213' }),
  fields: JsonObject.meta({ description: 'ST camelCase fields to change', example: { price: 44.5 } }),
  version: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .meta({ description: 'Refuse the whole edit (412) unless the row is at this version' }),
});
export type BulkEditItem = z.infer<typeof BulkEditItem>;

/** The body of `POST /api/pricebook/{entity}/bulk`. */
export const BulkEditBody = z.object({ items: z.array(BulkEditItem).min(1).max(BULK_EDIT_MAX_ITEMS) }).meta({
  id: 'BulkEditBody',
  example: {
    items: [
      { id: 'st:48213', fields: { price: 44.5 } },
      { id: recordId, fields: { price: 18.9 } },
    ],
  },
});
export type BulkEditBody = z.infer<typeof BulkEditBody>;

/** `POST /api/pricebook/{entity}/bulk`: every row after the edit, and the change-set to revert it by. */
export const BulkEditResponse = z
  .object({
    success: z.literal(true),
    changeSetId: z
      .guid()
      .nullable()
      .meta({ description: 'The change-set of the edit; null when no row changed' }),
    changed: z.number().int().meta({ description: 'Rows whose values changed' }),
    items: z.array(PricebookItem),
  })
  .meta({
    id: 'BulkEditResult',
    example: {
      success: true,
      changeSetId,
      changed: 1,
      items: [
        {
          id: recordId,
          stId: 48213,
          syncStatus: 'pending_sync',
          hasConflict: false,
          localModifiedAt: '2025-12-06T09:30:00.000Z',
          lastSyncedAt: '2025-12-06T02:00:12.000Z',
          deletedAt: null,
          version: 5,
          record: { id: 48213, code: 'CU-12', displayName: 'Copper 1/2"', price: 44.5 },
        },
      ],
    },
  });
export type BulkEditResponse = z.infer<typeof BulkEditResponse>;
