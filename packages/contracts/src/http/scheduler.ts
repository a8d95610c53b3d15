import { z } from 'zod';
import { IsoDateTime } from '../messaging/envelope';

const example = {
  isRunning: true,
  schedules: { fullSync: '0 2 * * *', incrementalSync: '0 */6 * * *' },
  timezone: 'UTC',
  nextRuns: { fullSync: '2025-12-07T02:00:00.000Z', incrementalSync: '2025-12-06T18:00:00.000Z' },
};

/** The status's `scheduler` block: the spec's `isRunning` and `schedules`, plus the zone and next ticks. */
export const SchedulerStatus = z
  .object({
    isRunning: z
      .boolean()
      .meta({ description: 'The shared start/stop switch (NATS KV), the same on every replica' }),
    schedules: z.object({ fullSync: z.string(), incrementalSync: z.string() }),
    timezone: z.string().meta({ description: 'The IANA zone the crons are read in (SYNC_TIMEZONE)' }),
    nextRuns: z
      .object({ fullSync: IsoDateTime.nullable(), incrementalSync: IsoDateTime.nullable() })
      .meta({ description: 'The next tick of each schedule; null while stopped' }),
  })
  .meta({ id: 'SchedulerStatus', example });
export type SchedulerStatus = z.infer<typeof SchedulerStatus>;

/** What `POST …/scheduler/start` and `…/stop` answer. */
export const SchedulerControlResponse = z
  .object({ success: z.literal(true), scheduler: SchedulerStatus })
  .meta({ id: 'SchedulerControlResult', example: { success: true, scheduler: example } });
export type SchedulerControlResponse = z.infer<typeof SchedulerControlResponse>;
