import { z } from 'zod';
import { ChangeOperation, ChangeOrigin } from '../domain';
import { EntityType } from '../entities';
import { parseStIdText, SafeText } from '../limits';
import { JsonObject, SyncLogId } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { Page, pageCursor, pageLimit } from './page';
import { PricebookParams } from './pricebook';

const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';

/**
 * One audit row (`pricebook_changes`): a change to a pricebook row, whoever made it, in the names
 * the `record.*` events use (`entity`, `recordId`, `syncLogId`). `operation` is the audit row's
 * own (`restore` included, which the events announce as `updated`).
 */
export const PricebookChange = z
  .object({
    id: z.guid().meta({ description: 'The audit row; `record.*` events announce it' }),
    occurredAt: IsoDateTime.meta({ description: 'When the transaction that made the change began' }),
    entity: EntityType,
    recordId: z.guid().meta({ description: 'The local uuid of the row' }),
    stId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The ServiceTitan id then (null before the first push)' }),
    operation: ChangeOperation,
    origin: ChangeOrigin.meta({
      description:
        '`st` (a sync read it from ServiceTitan), `local` (the API, SQL, another tool), `inbound` (an ' +
        "inbound message), `resolution` (a conflict's settlement), `merge` (an automatic merge of disjoint edits), " +
        '`revert` (a change-set written back by `POST /api/changesets/{id}/revert`)',
    }),
    actor: z.string().nullable().meta({ description: 'Who asked: an API key label, a person, `applier`…' }),
    syncLogId: SyncLogId.nullable().meta({
      description: 'The sync that made the change (null for a local edit)',
    }),
    changeSetId: z.guid().nullable().meta({
      description: 'The change-set it belongs to (`GET /api/changesets/{id}`); null for an edit made in SQL',
    }),
    changedFields: z.array(z.string()).meta({ description: 'The top-level fields that differ, sorted' }),
    before: JsonObject.nullable().meta({ description: 'The record before (null for a create)' }),
    after: JsonObject.nullable().meta({ description: 'The record after (null for a hard delete)' }),
  })
  .meta({ id: 'PricebookChange' });
export type PricebookChange = z.infer<typeof PricebookChange>;

const before = { id: 48213, code: 'CU-12', displayName: 'Copper 1/2"', price: 12.5 };
const localEdit: PricebookChange = {
  id: 'a7c1e0d2-3b4f-4a5e-9c6d-1e2f3a4b5c6d',
  occurredAt: '2025-12-06T09:30:00.000Z',
  entity: 'materials',
  recordId,
  stId: 48213,
  operation: 'update',
  origin: 'local',
  actor: 'api:operator:3f9a0c1b2d4e',
  syncLogId: null,
  changeSetId: 'e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b',
  changedFields: ['price'],
  before: { ...before, price: 13.25 },
  after: { ...before, price: 13.75 },
};
const stChange: PricebookChange = {
  id: 'b8d2f1e3-4c5a-4b6f-8d7e-2f3a4b5c6d7e',
  occurredAt: '2025-12-06T02:00:12.000Z',
  entity: 'materials',
  recordId,
  stId: 48213,
  operation: 'update',
  origin: 'st',
  actor: 'applier',
  syncLogId,
  changeSetId: syncLogId,
  changedFields: ['price'],
  before,
  after: { ...before, price: 13.25 },
};

/** Largest page of changes, and the default. */
export const changesPageMax = 200;
const changesPageDefault = 50;

const uuidText = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `{id}` names a row: a uuid, or `st:<stId>` with an id in ST's range. */
const isRecordRefText = (value: string): boolean =>
  uuidText.test(value) || (value.startsWith('st:') && parseStIdText(value.slice(3)) !== undefined);

/** The path of `GET /api/pricebook/{entity}/{id}/history`: `{id}` a uuid or `st:<stId>`. */
export const PricebookHistoryParams = PricebookParams.extend({
  id: z
    .string()
    .max(64)
    .refine(isRecordRefText, 'expected a uuid or st:<stId>')
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The local uuid, or `st:<stId>` for the ServiceTitan id',
      example: 'st:48213',
    }),
});
export type PricebookHistoryParams = z.infer<typeof PricebookHistoryParams>;

/** The query of `GET /api/pricebook/{entity}/{id}/history`. */
export const PricebookHistoryQuery = z.object({
  limit: pageLimit(changesPageDefault, changesPageMax),
  cursor: pageCursor(),
});
export type PricebookHistoryQuery = z.infer<typeof PricebookHistoryQuery>;

/** `GET /api/pricebook/{entity}/{id}/history`: one row's changes, the last one first. */
export const PricebookHistoryResponse = z
  .object({
    success: z.literal(true),
    entity: EntityType,
    recordId: z.guid(),
    stId: z.number().int().nullable().meta({ description: "The row's ServiceTitan id now" }),
    changes: z.array(PricebookChange),
    page: Page,
  })
  .meta({
    id: 'PricebookHistory',
    example: {
      success: true,
      entity: 'materials',
      recordId,
      stId: 48213,
      changes: [localEdit, stChange],
      page: { limit: changesPageDefault, nextCursor: null },
    },
  });
export type PricebookHistoryResponse = z.infer<typeof PricebookHistoryResponse>;

/** The query of `GET /api/changes`: every change of the tenant, newest first, with filters. */
export const ChangesQuery = z
  .object({
    limit: pageLimit(changesPageDefault, changesPageMax),
    cursor: pageCursor(),
    entity: EntityType.optional().meta({ param: { name: 'entity', in: 'query' }, example: 'materials' }),
    origin: ChangeOrigin.optional().meta({ param: { name: 'origin', in: 'query' }, example: 'local' }),
    actor: SafeText.min(1)
      .max(200)
      .optional()
      .meta({
        param: { name: 'actor', in: 'query' },
        description: 'Exactly this actor',
        example: 'api:operator:3f9a0c1b2d4e',
      }),
    syncLogId: SyncLogId.optional().meta({
      param: { name: 'syncLogId', in: 'query' },
      description: 'The changes one sync made',
      example: syncLogId,
    }),
    recordId: z
      .guid()
      .optional()
      .meta({
        param: { name: 'recordId', in: 'query' },
        description: 'The changes of one row',
        example: recordId,
      }),
    from: IsoDateTime.optional().meta({
      param: { name: 'from', in: 'query' },
      description: 'Only changes at or after this instant',
      example: '2025-12-01T00:00:00Z',
    }),
    to: IsoDateTime.optional().meta({
      param: { name: 'to', in: 'query' },
      description: 'Only changes before this instant (not at it)',
      example: '2025-12-08T00:00:00Z',
    }),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    path: ['to'],
    message: 'must not be before from',
  });
export type ChangesQuery = z.infer<typeof ChangesQuery>;

/** `GET /api/changes`. */
export const ChangesResponse = z
  .object({ success: z.literal(true), changes: z.array(PricebookChange), page: Page })
  .meta({
    id: 'ChangeList',
    example: {
      success: true,
      changes: [localEdit, stChange],
      page: { limit: changesPageDefault, nextCursor: null },
    },
  });
export type ChangesResponse = z.infer<typeof ChangesResponse>;
