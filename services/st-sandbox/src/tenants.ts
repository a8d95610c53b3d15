import { generatePricebook } from './generator';
import type { SandboxState, TenantSpec } from './state';
import { Tenant } from './store/tenant';
import type { Entity } from './store/types';

export interface TenantInfo {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  counts: Record<Entity, number>;
}

/** Creates a tenant with its credentials and (when `items > 0`) a generated pricebook. */
export function addTenant(state: SandboxState, spec: TenantSpec): Tenant {
  const tenant = new Tenant(spec.tenantId, {
    clientId: spec.clientId,
    clientSecret: spec.clientSecret,
    appKey: spec.appKey,
  });
  generatePricebook(tenant, { items: spec.items, seed: spec.seed, nowMs: state.clock.now() });
  state.tenants.set(spec.tenantId, tenant);
  return tenant;
}

export function tenantInfo(tenant: Tenant): TenantInfo {
  return { tenantId: tenant.id, ...tenant.credentials, counts: tenant.counts() };
}
