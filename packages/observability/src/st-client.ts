import type { StClientEvent, StClientEventListener } from '@pricebook/st-client';
import type { EngineMetrics } from './metrics';

/**
 * The st-client `onEvent` listener that counts requests by status, 429s and retries, labelled
 * with the tenant the client serves. Without a tenant the series carry no `tenant` label (a
 * client that is not one tenant's, or a caller not yet per tenant).
 *
 * @example
 * new TenantStClients({ tenants, orm, log, onEvent: (tenantId) => stClientMetrics(metrics, tenantId) });
 */
export function stClientMetrics(metrics: EngineMetrics, tenantId?: string): StClientEventListener {
  const tenant = tenantId === undefined ? {} : { tenant: tenantId };
  // The tenant's series exist at 0 before its first 429 or retry, for `increase()` to see it start.
  metrics.stRateLimited.inc(tenant, 0);
  metrics.stRetries.inc(tenant, 0);
  return (event: StClientEvent) => {
    if (event.type === 'response') {
      metrics.stRequests.inc({ status: String(event.status), ...tenant });
      if (event.status === 429) metrics.stRateLimited.inc(tenant);
    } else if (event.type === 'retry') {
      metrics.stRetries.inc(tenant);
    }
  };
}
