import { envBoolean, envInt } from '@pricebook/config';
import { z } from 'zod';
import { cronProblem } from './next-run';

// Croner reads five fields, or six with seconds first (tests use `* * * * * *`).
const cron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((pattern, ctx) => {
      const problem = cronProblem(pattern, 'UTC');
      if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression: ${problem}` });
    });

const timezone = z
  .string()
  .default('UTC')
  .refine((tz) => cronProblem('0 * * * *', tz) === undefined, 'must be an IANA time zone, e.g. UTC');

/**
 * The schedule settings, read alike by the scheduler (which runs them) and the API (which shows
 * the next runs and starts or stops them), so one value means the same thing in both.
 *
 * @example
 * export const schedulerEnv = baseEnv.extend({ ...scheduleFields });
 */
export const scheduleFields = {
  /** The initial value of the shared start/stop switch; once written, the API's start/stop rules. */
  SYNC_SCHEDULER_ENABLED: envBoolean(true),
  SYNC_FULL_CRON: cron('0 2 * * *'),
  SYNC_INCREMENTAL_CRON: cron('0 */6 * * *'),
  /** The IANA zone the crons are read in. */
  SYNC_TIMEZONE: timezone,
  /** A run lock whose heartbeat is older than this belongs to a crashed sync. */
  SYNC_RUN_STALE_MS: envInt(600_000, 1_000),
};
