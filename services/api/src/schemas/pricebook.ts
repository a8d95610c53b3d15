import { z } from '@hono/zod-openapi';
import { EntityType, IsoDateTime, SafeText } from '@pricebook/contracts';
import { ProblemSchema } from './problem';

const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';

export const PricebookParamsSchema = z.object({
  entity: EntityType.meta({ param: { name: 'entity', in: 'path' }, example: 'materials' }),
});

export const PricebookItemParamsSchema = PricebookParamsSchema.extend({
  id: SafeText.min(1)
    .max(64)
    .meta({
      param: { name: 'id', in: 'path' },
      description: 'The local uuid, or `st:<stId>` for the ServiceTitan id',
      example: 'st:48213',
    }),
});

/** `true`/`false` in a query string (zod's coerce would take any non-empty text as true). */
const flag = (name: string, description: string) =>
  z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .openapi({ param: { name, in: 'query' }, description });

export const PricebookListQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: SafeText.min(1)
    .max(400)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The `nextCursor` of the previous page',
    }),
  search: SafeText.min(1)
    .max(200)
    .optional()
    .openapi({
      param: { name: 'search', in: 'query' },
      description: 'Case-insensitive substring of code, displayName, name or description',
    }),
  categoryId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({
      param: { name: 'categoryId', in: 'query' },
      description: 'Items in this category (categories: children of this parent)',
    }),
  active: flag('active', 'Only active (`true`) or inactive (`false`) records'),
  syncStatus: z
    .enum(['synced', 'pending_sync', 'conflict'])
    .optional()
    .openapi({ param: { name: 'syncStatus', in: 'query' } }),
  hasConflict: flag('hasConflict', 'Only records with (or without) an unresolved conflict'),
  modifiedSince: IsoDateTime.optional().openapi({
    param: { name: 'modifiedSince', in: 'query' },
    description: 'Only rows changed (by any side) at or after this instant',
    example: '2025-12-01T00:00:00Z',
  }),
  includeDeleted: flag('includeDeleted', 'Include soft-deleted rows (default false)'),
});
export type PricebookListQuery = z.infer<typeof PricebookListQuerySchema>;

export const PricebookItemSchema = z
  .object({
    id: z.guid(),
    stId: z.number().int().nullable().openapi({ description: 'null until the row is first pushed to ST' }),
    syncStatus: z.enum(['synced', 'pending_sync', 'conflict']),
    hasConflict: z.boolean(),
    localModifiedAt: IsoDateTime.nullable(),
    lastSyncedAt: IsoDateTime.nullable(),
    deletedAt: IsoDateTime.nullable(),
    version: z.number().int().openapi({ description: 'Send as `If-Match` for a conditional update' }),
    record: z.record(z.string(), z.unknown()).openapi({ description: "The record in ST's camelCase fields" }),
  })
  .openapi('PricebookItem');

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

export const PricebookListResponseSchema = z
  .object({
    success: z.literal(true),
    items: z.array(PricebookItemSchema),
    page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }),
  })
  .openapi('PricebookList', {
    example: { success: true, items: [itemExample], page: { limit: 50, nextCursor: null } },
  });

export const PricebookItemResponseSchema = z
  .object({ success: z.literal(true), item: PricebookItemSchema })
  .openapi('PricebookItemResponse', { example: { success: true, item: itemExample } });

/** The record body of a create or update; the entity's ST schema checks it in the handler. */
export const PricebookRecordBodySchema = z.record(z.string(), z.unknown()).openapi('PricebookRecordBody', {
  description:
    "ST camelCase fields. Create: the entity's ST create body (required fields included). " +
    'Update: only the fields to change; read-only fields are refused.',
  example: { price: 13.75, memberPrice: 12.5 },
});

export const IfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      description: "The row's `version` (as `ETag` gives it); the write is refused with 412 if it moved",
      example: '"4"',
    }),
});

/** 412 is this feature's own status; the shared problem examples do not carry it. */
export const preconditionFailedResponse = {
  412: {
    description: 'The row is not at the `If-Match` version any more',
    content: {
      'application/problem+json': {
        schema: ProblemSchema,
        example: {
          type: 'https://pricebook-sync.dev/problems/precondition-failed',
          title: 'Precondition failed',
          status: 412,
          detail: 'the record is at version 5, not 4: read it again and retry',
          code: 'precondition_failed',
          retry: false,
          currentVersion: 5,
        },
      },
    },
  },
};
