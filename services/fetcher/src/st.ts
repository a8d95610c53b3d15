import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { type EngineMetrics, stClientMetrics } from '@pricebook/observability';
import { TenantDirectory, TenantStClients } from '@pricebook/tenants';
import type { FetcherEnv } from './env';

/**
 * The fetcher's ServiceTitan clients, one per tenant, built from the directory's current
 * credentials. Each rate budget lives in the database, shared with the applier and every replica,
 * since ServiceTitan limits per application key and tenant; a 429 pauses that tenant's requests
 * in every process, and no other tenant's.
 *
 * @example
 * const clients = createFetcherClients({ env, orm, log, metrics });
 * const { st } = await clients.forTenant('1001');
 */
export function createFetcherClients(deps: {
  env: FetcherEnv;
  orm: Orm;
  log: Logger;
  metrics: EngineMetrics;
}): TenantStClients {
  const tenants = new TenantDirectory(deps.orm, deps.env);
  // Every tenant's requests count in the one set of ServiceTitan metrics for now.
  const onEvent = (tenantId: string) => stClientMetrics(deps.metrics, tenantId);
  return new TenantStClients({ tenants, orm: deps.orm, log: deps.log, onEvent });
}
