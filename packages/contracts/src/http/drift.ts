import { z } from 'zod';
import { EntityType } from '../entities';
import { SyncLogId } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';

const checkId = '0d6c5a8e-3b1f-4e27-9c4a-5b2e7f8d1a90';

/** How one drifted item differs: absent on one side, or present on both with different fields. */
export const DriftKind = z.enum(['missing_locally', 'missing_in_st', 'differs']);
export type DriftKind = z.infer<typeof DriftKind>;

/** One item where ServiceTitan and the local copy disagree with nobody's edit pending. */
export const DriftItem = z
  .object({
    entity: EntityType,
    stId: z.number().int().nonnegative(),
    kind: DriftKind,
    /** For `differs`: the synced fields whose values differ (ST camelCase), sorted. */
    fields: z.array(z.string()),
  })
  .meta({ id: 'DriftItem' });
export type DriftItem = z.infer<typeof DriftItem>;

/** One category's side-by-side counts and rolling hashes. */
export const DriftCategoryCounts = z
  .object({
    /** The item's first (lowest) category id, or the parent of a category; `none` without one. */
    category: z.string(),
    st: z.number().int(),
    local: z.number().int(),
    stHash: z.string(),
    localHash: z.string(),
    drifted: z.number().int(),
  })
  .meta({ id: 'DriftCategoryCounts' });
export type DriftCategoryCounts = z.infer<typeof DriftCategoryCounts>;

/** One entity type's counts: compared items per side, the known disagreements left out, the drifted. */
export const DriftEntityCounts = z
  .object({
    entity: EntityType,
    st: z.number().int().meta({ description: 'Items ServiceTitan has (deleted ones left out)' }),
    local: z.number().int().meta({ description: 'Local rows with an ST id, not deleted' }),
    pending: z
      .number()
      .int()
      .meta({ description: 'Rows with a local edit not yet pushed: known, not drift, not compared' }),
    conflicts: z.number().int().meta({ description: 'Rows with an open conflict: known, not drift' }),
    drifted: z.number().int(),
    stHash: z.string().meta({ description: 'Rolling hash of the compared ST items' }),
    localHash: z.string().meta({ description: 'Rolling hash of the compared local rows' }),
    categories: z.array(DriftCategoryCounts).meta({ description: 'Only the categories whose hashes differ' }),
  })
  .meta({ id: 'DriftEntityCounts' });
export type DriftEntityCounts = z.infer<typeof DriftEntityCounts>;

export const DriftReportStatus = z.enum(['queued', 'running', 'in_sync', 'drifted', 'failed']);
export type DriftReportStatus = z.infer<typeof DriftReportStatus>;

/** A stored drift report. */
export const DriftReport = z
  .object({
    id: z.guid(),
    status: DriftReportStatus,
    trigger: z.enum(['schedule', 'operator']),
    requestedBy: z.string().nullable(),
    createdAt: IsoDateTime,
    checkedAt: IsoDateTime.nullable().meta({ description: 'When the comparison finished' }),
    driftedCount: z.number().int(),
    /** The items listed are capped (DRIFT_MAX_ITEMS); `driftedCount` counts them all. */
    truncated: z.boolean(),
    stRequests: z.number().int().meta({ description: 'ServiceTitan requests the check made' }),
    entities: z.array(DriftEntityCounts),
    items: z.array(DriftItem),
    error: z.string().nullable(),
  })
  .meta({ id: 'DriftReport' });
export type DriftReport = z.infer<typeof DriftReport>;

/** The status endpoint's `drift` block. */
export const DriftState = z
  .object({
    state: z.enum(['in_sync', 'drifted', 'stale', 'unknown']).meta({
      description:
        '`stale`: the latest report is older than DRIFT_STALE_AFTER (or failed); `unknown`: never checked',
    }),
    items: z.number().int().meta({ description: 'Drifted items of the latest report' }),
    checkedAt: IsoDateTime.nullable(),
    reportId: z.guid().nullable(),
  })
  .meta({ id: 'DriftState' });
export type DriftState = z.infer<typeof DriftState>;

/** `GET /api/drift`: the latest finished report, and the one queued or running now. */
export const DriftReportResponse = z
  .object({
    success: z.literal(true),
    /** The latest finished report; null before the first. */
    report: DriftReport.nullable(),
    /** A check queued or running now. */
    pending: DriftReport.nullable(),
    drift: DriftState,
  })
  .meta({
    id: 'DriftReportResult',
    example: {
      success: true,
      report: {
        id: checkId,
        status: 'drifted',
        trigger: 'schedule',
        requestedBy: 'scheduler:drift',
        createdAt: '2025-12-06T03:30:00.000Z',
        checkedAt: '2025-12-06T03:30:41.000Z',
        driftedCount: 1,
        truncated: false,
        stRequests: 14,
        entities: [
          {
            entity: 'materials',
            st: 1200,
            local: 1200,
            pending: 2,
            conflicts: 0,
            drifted: 1,
            stHash: 'a3f1…',
            localHash: '9c0e…',
            categories: [
              { category: '20000052', st: 40, local: 40, stHash: '77b2…', localHash: '1d09…', drifted: 1 },
            ],
          },
        ],
        items: [{ entity: 'materials', stId: 48213, kind: 'differs', fields: ['price'] }],
        error: null,
      },
      pending: null,
      drift: { state: 'drifted', items: 1, checkedAt: '2025-12-06T03:30:41.000Z', reportId: checkId },
    },
  });
export type DriftReportResponse = z.infer<typeof DriftReportResponse>;

/** `POST /api/drift/check`: the queued report. */
export const DriftCheckResponse = z
  .object({ success: z.literal(true), reportId: z.guid(), status: DriftReportStatus })
  .meta({ id: 'DriftCheckResult', example: { success: true, reportId: checkId, status: 'queued' } });
export type DriftCheckResponse = z.infer<typeof DriftCheckResponse>;

/** `POST /api/drift/resync`: the targeted sync started, or none when nothing drifted. */
export const DriftResyncResponse = z
  .object({
    success: z.literal(true),
    syncLogId: SyncLogId.nullable(),
    reportId: z.guid(),
    items: z.number().int().meta({ description: 'Drifted items the sync reads again' }),
  })
  .meta({
    id: 'DriftResyncResult',
    example: {
      success: true,
      syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
      reportId: checkId,
      items: 3,
    },
  });
export type DriftResyncResponse = z.infer<typeof DriftResyncResponse>;
