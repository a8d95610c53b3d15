import { baseEnv, databasePoolMax, envBoolean, healthPort, tenantFields } from '@pricebook/config';
import { scheduleFields } from '@pricebook/schedule';
import type { z } from 'zod';
import { housekeepingFields } from './housekeeping/index';

/**
 * The scheduler's environment, validated once at boot.
 *
 * @example
 * const env = loadConfig(schedulerEnv);
 */
export const schedulerEnv = baseEnv.extend({
  ...tenantFields,
  ...scheduleFields,
  ...housekeepingFields,
  /** On start, run one full sync when a scheduled one was missed while no scheduler ran. */
  SYNC_RUN_OVERDUE_ON_START: envBoolean(true),
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9104),
});
export type SchedulerEnv = z.infer<typeof schedulerEnv>;
