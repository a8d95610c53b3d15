import { z } from 'zod';
import { SyncDirection, SyncItemAction, SyncLogStatus, SyncType } from '../domain';
import { EntityType } from '../entities';
import { JsonObject, SyncLogId, SyncStats } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { PushImpact } from '../push-impact';
import { Page, pageCursor, pageLimit } from './page';

const id = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';
const at = (s: string) => `2025-12-06T02:00:${s}.000Z`;

/** One sync log row, as `GET /logs` lists it. */
export const SyncLogSummary = z
  .object({
    id: SyncLogId,
    syncType: SyncType,
    direction: SyncDirection,
    status: SyncLogStatus,
    dryRun: z.boolean(),
    options: JsonObject.meta({ description: 'The options the sync was created with' }),
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
  .meta({ id: 'SyncLogSummary' });
export type SyncLogSummary = z.infer<typeof SyncLogSummary>;

const summaryExample: SyncLogSummary = {
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

/** The query of `GET /logs`: newest first, by cursor or offset, with filters. */
export const LogsQuery = z.object({
  limit: pageLimit(20),
  cursor: pageCursor(),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .meta({ param: { name: 'offset', in: 'query' }, description: 'Rows to skip (instead of `cursor`)' }),
  status: SyncLogStatus.optional().meta({ param: { name: 'status', in: 'query' } }),
  syncType: SyncType.optional().meta({ param: { name: 'syncType', in: 'query' } }),
  since: IsoDateTime.optional().meta({
    param: { name: 'since', in: 'query' },
    description: 'Only syncs created at or after this instant',
    example: '2025-12-01T00:00:00Z',
  }),
});
export type LogsQuery = z.infer<typeof LogsQuery>;

/** `GET /logs`. */
export const LogsResponse = z
  .object({ success: z.literal(true), logs: z.array(SyncLogSummary), page: Page })
  .meta({
    id: 'SyncLogList',
    example: { success: true, logs: [summaryExample], page: { limit: 20, nextCursor: null } },
  });
export type LogsResponse = z.infer<typeof LogsResponse>;

/** The path of `GET /logs/{id}` and `GET /logs/{id}/events`. */
export const LogParams = z.object({
  id: SyncLogId.meta({ param: { name: 'id', in: 'path' }, example: id }),
});
export type LogParams = z.infer<typeof LogParams>;

/** The query of `GET /logs/{id}`: the pages of its plan and of its quarantined records. */
export const LogDetailQuery = z.object({
  planLimit: pageLimit(50, 100, 'planLimit'),
  planCursor: pageCursor('planCursor'),
  planAction: SyncItemAction.optional().meta({
    param: { name: 'planAction', in: 'query' },
    description: 'Only plan entries of this action',
  }),
  errorsLimit: pageLimit(50, 100, 'errorsLimit'),
  errorsCursor: pageCursor('errorsCursor'),
});
export type LogDetailQuery = z.infer<typeof LogDetailQuery>;

/** A record the sync could not read, kept for inspection. */
export const QuarantinedRecord = z
  .object({
    id: z.guid(),
    entityType: EntityType,
    stId: z.number().int().nullable(),
    reason: z.string(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'QuarantinedRecord' });
export type QuarantinedRecord = z.infer<typeof QuarantinedRecord>;

/** What a dry run would do with one record. */
export const PlanEntry = z
  .object({
    entityType: EntityType,
    itemKey: z.string(),
    action: SyncItemAction,
    recordId: z.guid().nullable(),
    stId: z.number().int().nullable(),
    detail: JsonObject.nullable().meta({ description: 'The field diff of the record' }),
  })
  .meta({ id: 'PlanEntry' });
export type PlanEntry = z.infer<typeof PlanEntry>;

/** `GET /logs/{id}`: one sync with its counters, quarantined records and (dry runs) plan. */
export const LogDetailResponse = z
  .object({
    success: z.literal(true),
    // An intersection, so the document shows the summary by reference plus these fields.
    log: z.intersection(
      SyncLogSummary,
      z.object({
        stats: SyncStats,
        entityStats: z.partialRecord(EntityType, SyncStats),
        pushImpact: PushImpact.nullable().meta({
          description:
            'The push brake: per entity, how many prices the push changes and how far, and deletions; the limits it crosses (a `to_st`/`bidirectional` sync, dry runs too)',
        }),
      }),
    ),
    errors: z.object({ total: z.number().int(), items: z.array(QuarantinedRecord), page: Page }),
    plan: z
      .object({ total: z.number().int(), items: z.array(PlanEntry), page: Page })
      .nullable()
      .meta({ description: 'Dry runs only: what the sync would do, record by record' }),
  })
  .meta({
    id: 'SyncLogDetail',
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
export type LogDetailResponse = z.infer<typeof LogDetailResponse>;
