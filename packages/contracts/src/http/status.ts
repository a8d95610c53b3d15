import { z } from 'zod';
import { SyncLogStatus, SyncType } from '../domain';
import { EntityType } from '../entities';
import { SyncLogId } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { DriftState } from './drift';
import { SchedulerStatus } from './scheduler';

/** One entity's row counts (the original spec's snake_case names). */
export const EntityCounts = z
  .object({
    entity_type: EntityType,
    total_count: z.number().int().meta({ description: 'Rows not deleted' }),
    synced_count: z.number().int(),
    pending_count: z.number().int().meta({ description: 'Local edits waiting to go to ServiceTitan' }),
    conflict_count: z.number().int(),
  })
  .meta({ id: 'EntityCounts' });
export type EntityCounts = z.infer<typeof EntityCounts>;

/** A sync holding run locks now. */
export const RunningSync = z
  .object({
    syncLogId: SyncLogId,
    syncType: SyncType.nullable(),
    status: SyncLogStatus.nullable(),
    dryRun: z.boolean().nullable(),
    entityTypes: z.array(EntityType).meta({ description: 'The entities whose run lock it holds' }),
    startedAt: IsoDateTime,
    heartbeatAt: IsoDateTime,
    stale: z
      .boolean()
      .meta({ description: 'No heartbeat for longer than the stale limit; the next sync takes over' }),
  })
  .meta({ id: 'RunningSync' });
export type RunningSync = z.infer<typeof RunningSync>;

/** `GET /status`: the last sync, running syncs, the scheduler and per-entity counts. */
export const StatusResponse = z
  .object({
    success: z.literal(true),
    lastSync: z
      .object({
        id: SyncLogId,
        syncType: SyncType,
        status: SyncLogStatus,
        startedAt: IsoDateTime.nullable(),
        completedAt: IsoDateTime.nullable(),
        recordsFetched: z.number().int(),
        durationMs: z.number().int().nullable(),
        errorMessage: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'The most recent finished sync (completed, failed or cancelled)' }),
    stats: z.array(EntityCounts),
    unresolvedConflicts: z.number().int(),
    scheduler: SchedulerStatus,
    running: z.array(RunningSync),
    drift: DriftState.meta({
      description: 'Whether the latest drift report found ServiceTitan and the local copy alike',
    }),
  })
  .meta({
    id: 'SyncStatus',
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
      drift: {
        state: 'in_sync',
        items: 0,
        checkedAt: '2025-12-06T03:00:40.000Z',
        reportId: '0d6c5a8e-3b1f-4e27-9c4a-5b2e7f8d1a90',
      },
    },
  });
export type StatusResponse = z.infer<typeof StatusResponse>;
