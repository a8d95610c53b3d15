import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { EngineMetrics } from '@pricebook/observability';
import type { ServiceParts } from '@pricebook/service-kit';
import type { TenantDirectory } from '@pricebook/tenants';
import type { SchedulerEnv } from '../env';
import { retentionsOf } from './env';
import { startHousekeeping } from './start';

/**
 * The housekeeping part of a scheduler process, as its env asks: none when `HOUSEKEEPING_CRON`
 * is `off`. It keeps every tenant's tables (removed tenants' too: retention is the deployment's
 * rule, whoever the rows belong to) and re-seals the tenants' stored credentials.
 *
 * @example
 * return { scheduler, ...housekeepingParts({ env, orm, log, metrics, tenants }) };
 */
export function housekeepingParts(deps: {
  env: SchedulerEnv;
  orm: Orm;
  log: Logger;
  metrics: EngineMetrics;
  tenants: TenantDirectory;
}): ServiceParts {
  const { env } = deps;
  if (env.HOUSEKEEPING_CRON === null) {
    deps.log.info('housekeeping off (HOUSEKEEPING_CRON=off)');
    return {};
  }
  const housekeeping = startHousekeeping({
    orm: deps.orm,
    log: deps.log,
    metrics: deps.metrics,
    tenantIds: async () => (await deps.tenants.list()).map((t) => t.tenantId),
    credentials: deps.tenants,
    cron: env.HOUSEKEEPING_CRON,
    timezone: env.SYNC_TIMEZONE,
    retention: retentionsOf(env),
    batchSize: env.HOUSEKEEPING_BATCH_SIZE,
  });
  return { housekeeping };
}
