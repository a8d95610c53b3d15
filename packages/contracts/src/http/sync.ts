import { z } from 'zod';
import { SyncLogStatus } from '../domain';
import { SyncLogId, SyncStats } from '../messaging/common';
import { SyncCommandData } from '../messaging/payloads';

const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';

/**
 * The body of `POST /full` and `POST /incremental`: the original spec's sync options plus
 * `allowMassDelete` and `allowMassChange`. Every field is optional; unknown fields are refused, so a typo such as
 * `dryrun` can never start a real sync.
 */
export const SyncRequest = SyncCommandData.pick({
  direction: true,
  entityTypes: true,
  resolveConflicts: true,
  dryRun: true,
  allowMassDelete: true,
  allowMassChange: true,
})
  .partial()
  .extend({
    fullSync: z.boolean().optional().meta({
      description: 'Kept from the original spec; the endpoint decides (true on /full, false on /incremental)',
    }),
  })
  .strict()
  .meta({
    id: 'SyncRequest',
    example: { resolveConflicts: 'keep_st', entityTypes: ['categories', 'materials'] },
  });
export type SyncRequest = z.infer<typeof SyncRequest>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** The query of `POST /full` and `POST /incremental`. */
export const SyncQuery = z.object({
  wait: flag.meta({
    param: { name: 'wait', in: 'query' },
    description: 'Wait (up to SYNC_WAIT_TIMEOUT_MS) for the sync to finish and answer with its result',
    example: 'true',
  }),
});
export type SyncQuery = z.infer<typeof SyncQuery>;

/** The 202 of a sync request. */
export const SyncAccepted = z
  .object({
    success: z.literal(true),
    syncLogId: SyncLogId,
    status: SyncLogStatus.extract(['queued', 'running', 'pushing']).meta({
      description: '`queued`; with `?wait=true` that timed out, whatever the sync had reached',
    }),
  })
  .meta({ id: 'SyncAccepted', example: { success: true, syncLogId, status: 'queued' } });
export type SyncAccepted = z.infer<typeof SyncAccepted>;

/** A finished sync, as `?wait=true` answers it (the original spec's completed shape). */
export const SyncResult = z
  .object({
    success: z.boolean().meta({ description: 'true when the sync completed' }),
    syncLogId: SyncLogId,
    status: SyncLogStatus.extract(['completed', 'failed', 'cancelled']),
    dryRun: z.boolean(),
    duration: z.number().int().nullable().meta({ description: 'Milliseconds from start to finish' }),
    stats: SyncStats,
    error: z.string().optional().meta({ description: 'Why the sync failed' }),
  })
  .meta({
    id: 'SyncResult',
    example: {
      success: true,
      syncLogId,
      status: 'completed',
      dryRun: false,
      duration: 45000,
      stats: { fetched: 1250, created: 15, updated: 43, deleted: 2, skipped: 1190, conflicts: 0, errors: 0 },
    },
  });
export type SyncResult = z.infer<typeof SyncResult>;
