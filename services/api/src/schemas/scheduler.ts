import { z } from '@hono/zod-openapi';
import { IsoDateTime } from '@pricebook/contracts';

const example = {
  isRunning: true,
  schedules: { fullSync: '0 2 * * *', incrementalSync: '0 */6 * * *' },
  timezone: 'UTC',
  nextRuns: { fullSync: '2025-12-07T02:00:00.000Z', incrementalSync: '2025-12-06T18:00:00.000Z' },
};

/** The status's `scheduler` block: the spec's `isRunning` and `schedules`, plus the zone and next ticks. */
export const SchedulerStatusSchema = z
  .object({
    isRunning: z
      .boolean()
      .openapi({ description: 'The shared start/stop switch (NATS KV), the same on every replica' }),
    schedules: z.object({ fullSync: z.string(), incrementalSync: z.string() }),
    timezone: z.string().openapi({ description: 'The IANA zone the crons are read in (SYNC_TIMEZONE)' }),
    nextRuns: z
      .object({ fullSync: IsoDateTime.nullable(), incrementalSync: IsoDateTime.nullable() })
      .openapi({ description: 'The next tick of each schedule; null while stopped' }),
  })
  .openapi('SchedulerStatus', { example });

/** What `POST …/scheduler/start` and `…/stop` answer. */
export const SchedulerControlResponseSchema = z
  .object({ success: z.literal(true), scheduler: SchedulerStatusSchema })
  .openapi('SchedulerControlResult', { example: { success: true, scheduler: example } });
