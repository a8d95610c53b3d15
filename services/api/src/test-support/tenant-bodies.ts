import type { StartedSandbox } from '@pricebook/testing';

/** A `POST /api/tenants` body for the sandbox's tenant, with its good credentials. */
export function sandboxTenantBody(sandbox: StartedSandbox, overrides: Record<string, unknown> = {}) {
  return {
    tenantId: sandbox.tenantId,
    name: `Contractor ${sandbox.tenantId}`,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    appKey: sandbox.appKey,
    apiBaseUrl: sandbox.baseUrl,
    authUrl: sandbox.authUrl,
    ...overrides,
  };
}

/** A `POST /api/tenants` body with recognisable secrets (to look for them where they must not be). */
export function tenantBody(tenantId: string, overrides: Record<string, unknown> = {}) {
  return {
    tenantId,
    name: `Contractor ${tenantId}`,
    clientId: `cid.${tenantId}`,
    clientSecret: `client-secret-${tenantId}-do-not-show`,
    appKey: `app-key-${tenantId}-do-not-show`,
    ...overrides,
  };
}
