import type { TenantSchedule, TenantStatus } from '@pricebook/contracts';
import type { Harness } from './index';

/**
 * Adds a tenant to the harness's directory as `POST /api/tenants` would (credentials sealed with
 * the harness's `TENANT_SECRETS_KEYS`), then gives it `status`. Every app of the harness sees it.
 *
 * @example
 * await addTenant(h, '1002');
 * await addTenant(h, '1003', { status: 'paused' });
 */
export async function addTenant(
  h: Harness,
  tenantId: string,
  options: { status?: TenantStatus; schedule?: Partial<TenantSchedule> } = {},
): Promise<void> {
  const directory = h.directory();
  await directory.create({
    tenantId,
    name: `Contractor ${tenantId}`,
    clientId: `client-${tenantId}`,
    clientSecret: `secret-${tenantId}-0123456789`,
    appKey: `app-key-${tenantId}-0123456789`,
    apiBaseUrl: 'http://127.0.0.1:9/st',
    authUrl: 'http://127.0.0.1:9/auth',
  });
  // Set apart from the create: the store's insert names a schedule column twice when given one.
  if (options.schedule) await directory.update(tenantId, { schedule: options.schedule });
  if (options.status && options.status !== 'active') await directory.setStatus(tenantId, options.status);
}
