import { z } from '@hono/zod-openapi';
import { EntityType, IsoDateTime, SyncLogId } from '@pricebook/contracts';
import { syncLogStatuses, syncTypes } from '@pricebook/db';
import { SchedulerStatusSchema } from './scheduler';

const EntityCountsSchema = z
  .object({
    entity_type: EntityType,
    total_count: z.number().int().openapi({ description: 'Rows not deleted' }),
    synced_count: z.number().int(),
    pending_count: z.number().int().openapi({ description: 'Local edits waiting to go to ServiceTitan' }),
    conflict_count: z.number().int(),
  })
  .openapi('EntityCounts');

const RunningSyncSchema = z
  .object({
    syncLogId: SyncLogId,
    syncType: z.enum(syncTypes).nullable(),
    status: z.enum(syncLogStatuses).nullable(),
    dryRun: z.boolean().nullable(),
    entityTypes: z.array(EntityType).openapi({ description: 'The entities whose run lock it holds' }),
    startedAt: IsoDateTime,
    heartbeatAt: IsoDateTime,
    stale: z
      .boolean()
      .openapi({ description: 'No heartbeat for longer than the stale limit; the next sync takes over' }),
  })
  .openapi('RunningSync');

export const StatusResponseSchema = z
  .object({
    success: z.literal(true),
    lastSync: z
      .object({
        id: SyncLogId,
        syncType: z.enum(syncTypes),
        status: z.enum(syncLogStatuses),
        startedAt: IsoDateTime.nullable(),
        completedAt: IsoDateTime.nullable(),
        recordsFetched: z.number().int(),
        durationMs: z.number().int().nullable(),
        errorMessage: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'The most recent finished sync (completed, failed or cancelled)' }),
    stats: z.array(EntityCountsSchema),
    unresolvedConflicts: z.number().int(),
    scheduler: SchedulerStatusSchema,
    running: z.array(RunningSyncSchema),
  })
  .openapi('SyncStatus', {
    example: {
      success: true,
      lastSync: {
        id: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
        syncType: 'full',
        status: 'completed',
        startedAt: '2025-12-06T02:00:00.000Z',
        completedAt: '2025-12-06T02:00:45.000Z',
        recordsFetched: 1250,
        durationMs: 45000,
        errorMessage: null,
      },
      stats: [
        { entity_type: 'categories', total_count: 50, synced_count: 50, pending_count: 0, conflict_count: 0 },
        {
          entity_type: 'materials',
          total_count: 1200,
          synced_count: 1198,
          pending_count: 2,
          conflict_count: 0,
        },
        { entity_type: 'services', total_count: 0, synced_count: 0, pending_count: 0, conflict_count: 0 },
        { entity_type: 'equipment', total_count: 0, synced_count: 0, pending_count: 0, conflict_count: 0 },
      ],
      unresolvedConflicts: 0,
      scheduler: {
        isRunning: true,
        schedules: { fullSync: '0 2 * * *', incrementalSync: '0 */6 * * *' },
        timezone: 'UTC',
        nextRuns: { fullSync: '2025-12-07T02:00:00.000Z', incrementalSync: '2025-12-06T06:00:00.000Z' },
      },
      running: [],
    },
  });
export type StatusResponse = z.infer<typeof StatusResponseSchema>;
