import type { Tenant } from '@pricebook/contracts';
import type { ApiConfig } from '../env';

/**
 * A tenant's own timed syncs: its crons and time zone where it set them, the deployment's
 * (`SYNC_FULL_CRON`, `SYNC_INCREMENTAL_CRON`, `SYNC_TIMEZONE`) where it left them null.
 *
 * @example
 * schedulerStatus(tenantSchedule(deps.config.scheduler, tenant), enabled);
 */
export function tenantSchedule(defaults: ApiConfig['scheduler'], tenant: Tenant): ApiConfig['scheduler'] {
  const own = tenant.schedule;
  return {
    enabled: defaults.enabled,
    fullCron: own.fullCron ?? defaults.fullCron,
    incrementalCron: own.incrementalCron ?? defaults.incrementalCron,
    timezone: own.timezone ?? defaults.timezone,
  };
}
