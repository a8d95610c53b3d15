import { z } from 'zod';
import { SyncStatus } from '../domain';
import { EntityType } from '../entities';
import { SafeText } from '../limits';
import { JsonObject } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { Page, PageQuery, pageLimit } from './page';

const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';

/** The path of `/api/pricebook/{entity}`. */
export const PricebookParams = z.object({
  entity: EntityType.meta({ param: { name: 'entity', in: 'path' }, example: 'materials' }),
});
export type PricebookParams = z.infer<typeof PricebookParams>;

/** The path of `/api/pricebook/{entity}/{id}`. */
export const PricebookItemParams = PricebookParams.extend({
  id: SafeText.min(1)
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The local uuid, or `st:<stId>` for the ServiceTitan id',
      example: 'st:48213',
    }),
});
export type PricebookItemParams = z.infer<typeof PricebookItemParams>;

/** `true`/`false` in a query string (zod's coerce would take any non-empty text as true). */
const flag = (name: string, description: string) =>
  z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ param: { name, in: 'query' }, description });

/** The query of `GET /api/pricebook/{entity}`: pages of up to 200 rows, with filters. */
export const PricebookListQuery = PageQuery.extend({
  limit: pageLimit(50, 200),
  search: SafeText.min(1)
    .max(200)
    .optional()
    .meta({
      param: { name: 'search', in: 'query' },
      description: 'Case-insensitive substring of code, displayName, name or description',
    }),
  categoryId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({
      param: { name: 'categoryId', in: 'query' },
      description: 'Items in this category (categories: children of this parent)',
    }),
  active: flag('active', 'Only active (`true`) or inactive (`false`) records'),
  syncStatus: SyncStatus.optional().meta({ param: { name: 'syncStatus', in: 'query' } }),
  hasConflict: flag('hasConflict', 'Only records with (or without) an unresolved conflict'),
  modifiedSince: IsoDateTime.optional().meta({
    param: { name: 'modifiedSince', in: 'query' },
    description: 'Only rows changed (by any side) at or after this instant',
    example: '2025-12-01T00:00:00Z',
  }),
  includeDeleted: flag('includeDeleted', 'Include soft-deleted rows (default false)'),
});
export type PricebookListQuery = z.infer<typeof PricebookListQuery>;

/** One pricebook row: its sync standing and the record in ST's fields. */
export const PricebookItem = z
  .object({
    id: z.guid(),
    stId: z.number().int().nullable().meta({ description: 'null until the row is first pushed to ST' }),
    syncStatus: SyncStatus,
    hasConflict: z.boolean(),
    localModifiedAt: IsoDateTime.nullable(),
    lastSyncedAt: IsoDateTime.nullable(),
    deletedAt: IsoDateTime.nullable(),
    version: z.number().int().meta({ description: 'Send as `If-Match` for a conditional update' }),
    record: JsonObject.meta({ description: "The record in ST's camelCase fields" }),
  })
  .meta({ id: 'PricebookItem' });
export type PricebookItem = z.infer<typeof PricebookItem>;

const itemExample = {
  id: recordId,
  stId: 48213,
  syncStatus: 'pending_sync',
  hasConflict: false,
  localModifiedAt: '2025-12-06T09:30:00.000Z',
  lastSyncedAt: '2025-12-06T02:00:12.000Z',
  deletedAt: null,
  version: 4,
  record: { id: 48213, code: 'CU-12', displayName: 'Copper 1/2"', description: 'pipe', price: 13.75 },
};

/** `GET /api/pricebook/{entity}`. */
export const PricebookListResponse = z
  .object({ success: z.literal(true), items: z.array(PricebookItem), page: Page })
  .meta({
    id: 'PricebookList',
    example: { success: true, items: [itemExample], page: { limit: 50, nextCursor: null } },
  });
export type PricebookListResponse = z.infer<typeof PricebookListResponse>;

/** One row: `GET`, and the answer of a create or update. */
export const PricebookItemResponse = z
  .object({ success: z.literal(true), item: PricebookItem })
  .meta({ id: 'PricebookItemResponse', example: { success: true, item: itemExample } });
export type PricebookItemResponse = z.infer<typeof PricebookItemResponse>;

/** The record body of a create or update; the entity's ST schema checks it in the handler. */
export const PricebookRecordBody = JsonObject.meta({
  id: 'PricebookRecordBody',
  description:
    "ST camelCase fields. Create: the entity's ST create body (required fields included). " +
    'Update: only the fields to change; read-only fields are refused.',
  example: { price: 13.75, memberPrice: 12.5 },
});
export type PricebookRecordBody = z.infer<typeof PricebookRecordBody>;

/** The conditional-write header of an update or delete. */
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .meta({
      param: { name: 'if-match', in: 'header' },
      description: "The row's `version` (as `ETag` gives it); the write is refused with 412 if it moved",
      example: '"4"',
    }),
});
export type IfMatchHeader = z.infer<typeof IfMatchHeader>;
