import { z } from 'zod';
import { SyncLogStatus } from '../domain';
import { EntityType } from '../entities';
import { SyncLogId, SyncStats } from '../messaging/common';

/** The `data` of every event of `GET /logs/{id}/events`: where the sync stands now. */
export const SyncProgress = z
  .object({
    syncLogId: SyncLogId,
    status: SyncLogStatus,
    dryRun: z.boolean(),
    stats: SyncStats,
    entityStats: z.partialRecord(EntityType, SyncStats),
    entities: z
      .object({
        requested: z.array(EntityType),
        done: z.array(EntityType),
      })
      .meta({ description: 'The entities the sync covers, and those it has finished (released)' }),
    durationMs: z.number().int().nullable(),
    errorMessage: z.string().nullable(),
  })
  .meta({ id: 'SyncProgress' });
export type SyncProgress = z.infer<typeof SyncProgress>;
