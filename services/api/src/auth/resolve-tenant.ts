import { type Tenant, TenantId } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { TenantDirectory } from '@pricebook/tenants';
import type { Context } from 'hono';
import type { AppEnv, TenantAccess } from '../context';
import { fieldErrors } from '../errors/handle-error';
import { mayActFor, type Principal } from './api-keys';

/** The header a request names its tenant with, as Stripe names a connected account with `Stripe-Account`. */
export const tenantHeader = 'Pricebook-Tenant';

/**
 * The tenant a request names no tenant for: the one tenant its key is bound to, else the
 * deployment's own (`ST_TENANT_ID`) when the key may act for it; undefined when it must name one.
 *
 * @example
 * implicitTenantId(principal, tenants.defaultTenantId); // '1001'
 */
export function implicitTenantId(
  principal: Principal,
  defaultTenantId: string | undefined,
): string | undefined {
  const [only, ...others] = principal.tenants ?? [];
  if (only !== undefined && others.length === 0) return only;
  if (defaultTenantId !== undefined && mayActFor(principal, defaultTenantId)) return defaultTenantId;
  return undefined;
}

/**
 * The tenant a request acts for: its `Pricebook-Tenant` header, or the implicit one. A header
 * that is no tenant id → 400; a tenant the key is not bound to → 403, whether or not it exists
 * (a bound key learns nothing about other tenants); a tenant nobody added → 404.
 *
 * @example
 * const tenant = await resolveTenant(c.req.header(tenantHeader), principal, deps.tenants);
 */
export async function resolveTenant(
  header: string | undefined,
  principal: Principal,
  directory: TenantDirectory,
): Promise<Tenant> {
  const tenantId =
    header === undefined ? implicitTenantId(principal, directory.defaultTenantId) : named(header);
  if (tenantId === undefined) {
    throw new AppError('validation_failed', `name the tenant with the ${tenantHeader} header`, {
      details: {
        errors: [
          { path: tenantHeader, in: 'header', message: 'required: this key may act for several tenants' },
        ],
      },
    });
  }
  if (!mayActFor(principal, tenantId)) {
    throw new AppError('forbidden', `the key may not act for tenant ${tenantId}`, {
      details: { reason: 'tenant' },
    });
  }
  const tenant = await directory.get(tenantId);
  if (!tenant) throw new AppError('not_found', `no tenant ${tenantId}`);
  return tenant;
}

function named(header: string): string {
  const parsed = TenantId.safeParse(header.trim());
  if (parsed.success) return parsed.data;
  throw fieldErrors([
    { path: tenantHeader, in: 'header', message: 'must be a tenant id (a positive integer)' },
  ]);
}

/**
 * Refuses what a tenant's status does not allow (409 `tenant_unavailable`): a removed tenant's data
 * stays readable but takes no write; a paused one keeps its reads and local edits but starts no sync.
 *
 * @example
 * checkTenantAccess(tenant, 'sync');
 */
export function checkTenantAccess(tenant: Tenant, access: Exclude<TenantAccess, 'none'>): void {
  const refused =
    (access === 'write' && tenant.status === 'removed') || (access === 'sync' && tenant.status !== 'active');
  if (!refused) return;
  const what = access === 'sync' ? 'starts no sync' : 'takes no change';
  throw new AppError('tenant_unavailable', `tenant ${tenant.tenantId} is ${tenant.status}: it ${what}`, {
    details: { tenantId: tenant.tenantId, tenantStatus: tenant.status },
  });
}

/**
 * The tenant the guard resolved for this request.
 *
 * @example
 * const { tenantId } = requestTenant(c);
 */
export function requestTenant(c: Context<AppEnv>): Tenant {
  const tenant = c.get('tenant');
  // The guard runs before every tenant-scoped handler; without a tenant the route was wired wrongly.
  if (!tenant) throw new AppError('internal', 'the route resolved no tenant: its guard is missing');
  return tenant;
}
