import { baseEnv, databasePoolMax, envBoolean, envInt, healthPort, tenantFields } from '@pricebook/config';
import { cronProblem } from '@pricebook/schedule';
import { z } from 'zod';

const timezone = z
  .string()
  .default('UTC')
  .refine((tz) => cronProblem('0 * * * *', tz) === undefined, 'must be an IANA time zone, e.g. UTC');

// Croner reads five fields, or six with seconds first (tests use `* * * * * *`).
const cron = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .superRefine((pattern, ctx) => {
      const problem = cronProblem(pattern, 'UTC');
      if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression: ${problem}` });
    });

/**
 * The scheduler's environment, validated once at boot.
 *
 * @example
 * const env = loadConfig(schedulerEnv);
 */
export const schedulerEnv = baseEnv.extend({
  ...tenantFields,
  SYNC_FULL_CRON: cron('0 2 * * *'),
  SYNC_INCREMENTAL_CRON: cron('0 */6 * * *'),
  /** The initial value of the shared start/stop switch; once written, the API's start/stop rules. */
  SYNC_SCHEDULER_ENABLED: envBoolean(true),
  SYNC_TIMEZONE: timezone,
  /** On start, run one full sync when a scheduled one was missed while no scheduler ran. */
  SYNC_RUN_OVERDUE_ON_START: envBoolean(true),
  /** A run lock whose heartbeat is older than this belongs to a crashed sync (keep equal to the applier's). */
  SYNC_RUN_STALE_MS: envInt(600_000, 1_000),
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9104),
});
export type SchedulerEnv = z.infer<typeof schedulerEnv>;
