import { baseEnv, databasePoolMax, envBoolean, envInt, healthPort } from '@pricebook/config';
import { driftFields, scheduleFields } from '@pricebook/schedule';
import { tenantsEnvFields } from '@pricebook/tenants';
import type { z } from 'zod';
import { housekeepingFields } from './housekeeping/index';

/**
 * The scheduler's environment, validated once at boot. `SYNC_FULL_CRON`, `SYNC_INCREMENTAL_CRON`
 * and `SYNC_TIMEZONE` are every tenant's unless the tenant sets its own.
 *
 * @example
 * const env = loadConfig(schedulerEnv);
 */
export const schedulerEnv = baseEnv.extend({
  ...tenantsEnvFields,
  ...scheduleFields,
  /** DRIFT_CRON: when every active tenant is checked for drift (`off`: never). */
  ...driftFields,
  ...housekeepingFields,
  /** On start, run one full sync when a scheduled one was missed while no scheduler ran. */
  SYNC_RUN_OVERDUE_ON_START: envBoolean(true),
  /**
   * How often (ms) the scheduler reads the tenant list: a tenant added, paused, resumed, removed or
   * given new crons has its schedules changed within this long.
   */
  TENANT_REFRESH_MS: envInt(30_000, 100),
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9104),
});
export type SchedulerEnv = z.infer<typeof schedulerEnv>;
