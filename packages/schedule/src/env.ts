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

/**
 * The drift report's settings, read alike by the scheduler (which sends the checks) and the API
 * (which says when a report is stale).
 *
 * @example
 * export const schedulerEnv = baseEnv.extend({ ...scheduleFields, ...driftFields });
 */
export const driftFields = {
  /** When every active tenant is checked for drift; `off` (or empty) sends no timed check. */
  DRIFT_CRON: z
    .string()
    .default('30 3 * * *')
    .transform((pattern) => (pattern.trim() === '' || pattern.trim() === 'off' ? null : pattern.trim()))
    .superRefine((pattern, ctx) => {
      const problem = pattern === null ? undefined : cronProblem(pattern, 'UTC');
      if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression or off: ${problem}` });
    }),
  /** A tenant's latest drift report older than this (ms) is `stale` (default 48 h: two daily checks). */
  DRIFT_STALE_AFTER_MS: envInt(48 * 3_600_000, 60_000),
};
