import { z } from '@hono/zod-openapi';
import { EntityType, IsoDateTime, PushImpact, SafeText, SyncLogId, SyncStats } from '@pricebook/contracts';
import { syncItemActions, syncLogStatuses, syncTypes } from '@pricebook/db';

const id = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';
const at = (s: string) => `2025-12-06T02:00:${s}.000Z`;

export const SyncLogSummarySchema = z
  .object({
    id: SyncLogId,
    syncType: z.enum(syncTypes),
    direction: z.enum(['from_st', 'to_st', 'bidirectional']),
    status: z.enum(syncLogStatuses),
    dryRun: z.boolean(),
    options: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The options the sync was created with' }),
    triggeredBy: z.string().nullable(),
    createdAt: IsoDateTime,
    startedAt: IsoDateTime.nullable(),
    completedAt: IsoDateTime.nullable(),
    durationMs: z.number().int().nullable(),
    recordsFetched: z.number().int(),
    recordsCreated: z.number().int(),
    recordsUpdated: z.number().int(),
    recordsDeleted: z.number().int(),
    recordsSkipped: z.number().int(),
    conflicts: z.number().int(),
    errors: z.number().int(),
    errorMessage: z.string().nullable(),
  })
  .openapi('SyncLogSummary');
export type SyncLogSummary = z.infer<typeof SyncLogSummarySchema>;

export const summaryExample: SyncLogSummary = {
  id,
  syncType: 'full',
  direction: 'from_st',
  status: 'completed',
  dryRun: false,
  options: { direction: 'from_st', entityTypes: ['categories', 'materials'], fullSync: true },
  triggeredBy: 'api:operator:3f9a0c1b2d4e',
  createdAt: at('00'),
  startedAt: at('01'),
  completedAt: at('45'),
  durationMs: 44000,
  recordsFetched: 1250,
  recordsCreated: 15,
  recordsUpdated: 43,
  recordsDeleted: 2,
  recordsSkipped: 1190,
  conflicts: 0,
  errors: 0,
  errorMessage: null,
};

const limit = (fallback: number, name: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(fallback)
    .openapi({ param: { name, in: 'query' }, example: fallback });
const cursor = (name: string) =>
  SafeText.min(1)
    .max(400)
    .optional()
    .openapi({ param: { name, in: 'query' }, description: 'The `nextCursor` of the previous page' });

export const LogsQuerySchema = z.object({
  limit: limit(20, 'limit'),
  cursor: cursor('cursor'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .openapi({ param: { name: 'offset', in: 'query' }, description: 'Rows to skip (instead of `cursor`)' }),
  status: z
    .enum(syncLogStatuses)
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
  syncType: z
    .enum(syncTypes)
    .optional()
    .openapi({ param: { name: 'syncType', in: 'query' } }),
  since: IsoDateTime.optional().openapi({
    param: { name: 'since', in: 'query' },
    description: 'Only syncs created at or after this instant',
    example: '2025-12-01T00:00:00Z',
  }),
});
export type LogsQuery = z.infer<typeof LogsQuerySchema>;

const PageSchema = z
  .object({
    limit: z.number().int(),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null at the end' }),
  })
  .openapi('Page');

export const LogsResponseSchema = z
  .object({ success: z.literal(true), logs: z.array(SyncLogSummarySchema), page: PageSchema })
  .openapi('SyncLogList', {
    example: { success: true, logs: [summaryExample], page: { limit: 20, nextCursor: null } },
  });

export const LogParamsSchema = z.object({
  // `.meta`, not `.openapi`: the contracts' instance may predate zod-to-openapi's extension.
  id: SyncLogId.meta({ param: { name: 'id', in: 'path' }, example: id }),
});

export const LogDetailQuerySchema = z.object({
  planLimit: limit(50, 'planLimit'),
  planCursor: cursor('planCursor'),
  planAction: z
    .enum(syncItemActions)
    .optional()
    .openapi({ param: { name: 'planAction', in: 'query' }, description: 'Only plan entries of this action' }),
  errorsLimit: limit(50, 'errorsLimit'),
  errorsCursor: cursor('errorsCursor'),
});
export type LogDetailQuery = z.infer<typeof LogDetailQuerySchema>;

const QuarantinedSchema = z
  .object({
    id: z.guid(),
    entityType: EntityType,
    stId: z.number().int().nullable(),
    reason: z.string(),
    createdAt: IsoDateTime,
  })
  .openapi('QuarantinedRecord');

const PlanEntrySchema = z
  .object({
    entityType: EntityType,
    itemKey: z.string(),
    action: z.enum(syncItemActions),
    recordId: z.guid().nullable(),
    stId: z.number().int().nullable(),
    detail: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'The field diff of the record' }),
  })
  .openapi('PlanEntry');

export const LogDetailResponseSchema = z
  .object({
    success: z.literal(true),
    log: SyncLogSummarySchema.extend({
      stats: SyncStats,
      entityStats: z.partialRecord(EntityType, SyncStats),
      pushImpact: PushImpact.nullable().openapi({
        description:
          'The push brake: per entity, how many prices the push changes and how far, and deletions; the limits it crosses (a `to_st`/`bidirectional` sync, dry runs too)',
      }),
    }),
    errors: z.object({ total: z.number().int(), items: z.array(QuarantinedSchema), page: PageSchema }),
    plan: z
      .object({ total: z.number().int(), items: z.array(PlanEntrySchema), page: PageSchema })
      .nullable()
      .openapi({ description: 'Dry runs only: what the sync would do, record by record' }),
  })
  .openapi('SyncLogDetail', {
    example: {
      success: true,
      log: {
        ...summaryExample,
        dryRun: true,
        stats: {
          fetched: 1250,
          created: 15,
          updated: 43,
          deleted: 2,
          skipped: 1190,
          conflicts: 0,
          errors: 0,
        },
        entityStats: {
          materials: {
            fetched: 1200,
            created: 15,
            updated: 40,
            deleted: 2,
            skipped: 1143,
            conflicts: 0,
            errors: 0,
          },
        },
        pushImpact: null,
      },
      errors: {
        total: 1,
        items: [
          {
            id: '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d',
            entityType: 'materials',
            stId: 48213,
            reason: 'price: Invalid input: expected number, received string',
            createdAt: at('12'),
          },
        ],
        page: { limit: 50, nextCursor: null },
      },
      plan: {
        total: 1,
        items: [
          {
            entityType: 'materials',
            itemKey: '48213',
            action: 'update',
            recordId: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
            stId: 48213,
            detail: { changedFields: ['price'], price: { local: 39.9, st: 42.5 } },
          },
        ],
        page: { limit: 50, nextCursor: null },
      },
    },
  });
export type LogDetailResponse = z.infer<typeof LogDetailResponseSchema>;
