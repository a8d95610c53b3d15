import { EntityType, SyncStats } from '@pricebook/contracts';
import { z } from 'zod';

const zero: SyncStats = {
  fetched: 0,
  created: 0,
  updated: 0,
  deleted: 0,
  skipped: 0,
  conflicts: 0,
  errors: 0,
};

/** The `data` of a `GET /logs/{id}/events` event, parsed once where it enters the CLI. */
export const SyncProgress = z.object({
  syncLogId: z.string(),
  status: z.string(),
  dryRun: z.boolean(),
  stats: SyncStats,
  // Tolerant of partial counters, as older APIs sent them for a running sync.
  entityStats: z.partialRecord(
    EntityType,
    SyncStats.partial().transform((s) => ({ ...zero, ...s })),
  ),
  entities: z.object({ requested: z.array(EntityType), done: z.array(EntityType) }),
  durationMs: z.number().nullable(),
  errorMessage: z.string().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;
