import { z } from '@hono/zod-openapi';
import { SyncCommandData, SyncLogId, SyncStats } from '@pricebook/contracts';

/**
 * The body of `POST /full` and `POST /incremental`: the original spec's sync options plus
 * `allowMassDelete` and `allowMassChange`. Every field is optional; unknown fields are refused, so a typo such as
 * `dryrun` can never start a real sync.
 */
export const SyncRequestSchema = SyncCommandData.pick({
  direction: true,
  entityTypes: true,
  resolveConflicts: true,
  dryRun: true,
  allowMassDelete: true,
  allowMassChange: true,
})
  .partial()
  .extend({
    fullSync: z.boolean().optional().openapi({
      description: 'Kept from the original spec; the endpoint decides (true on /full, false on /incremental)',
    }),
  })
  .strict()
  .openapi('SyncRequest', {
    example: { resolveConflicts: 'keep_st', entityTypes: ['categories', 'materials'] },
  });
export type SyncRequest = z.infer<typeof SyncRequestSchema>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const SyncQuerySchema = z.object({
  wait: flag.openapi({
    param: { name: 'wait', in: 'query' },
    description: 'Wait (up to SYNC_WAIT_TIMEOUT_MS) for the sync to finish and answer with its result',
    example: 'true',
  }),
});

export const SyncAcceptedSchema = z
  .object({
    success: z.literal(true),
    syncLogId: SyncLogId,
    status: z.enum(['queued', 'running', 'pushing']).openapi({
      description: '`queued`; with `?wait=true` that timed out, whatever the sync had reached',
    }),
  })
  .openapi('SyncAccepted', {
    example: { success: true, syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a', status: 'queued' },
  });

export const SyncResultSchema = z
  .object({
    success: z.boolean().openapi({ description: 'true when the sync completed' }),
    syncLogId: SyncLogId,
    status: z.enum(['completed', 'failed', 'cancelled']),
    dryRun: z.boolean(),
    duration: z.number().int().nullable().openapi({ description: 'Milliseconds from start to finish' }),
    stats: SyncStats,
    error: z.string().optional().openapi({ description: 'Why the sync failed' }),
  })
  .openapi('SyncResult', {
    example: {
      success: true,
      syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
      status: 'completed',
      dryRun: false,
      duration: 45000,
      stats: { fetched: 1250, created: 15, updated: 43, deleted: 2, skipped: 1190, conflicts: 0, errors: 0 },
    },
  });
export type SyncResult = z.infer<typeof SyncResultSchema>;
