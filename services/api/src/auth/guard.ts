import type { TenantDirectory } from '@pricebook/tenants';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, GuardOptions, TenantAccess } from '../context';
import type { Role } from './api-keys';
import type { Authenticator } from './authenticate';
import { authorize } from './require-role';
import { checkTenantAccess, resolveTenant, tenantHeader } from './resolve-tenant';

const reads = new Set(['GET', 'HEAD']);

/** What each guard declared, so the OpenAPI document can say which routes take the tenant header. */
const declared = new WeakMap<object, TenantAccess | undefined>();

/** The access a route needs when its guard names none: reads read, everything else writes. */
export const accessFor = (method: string, declaredAccess: TenantAccess | undefined): TenantAccess =>
  declaredAccess ?? (reads.has(method.toUpperCase()) ? 'read' : 'write');

/**
 * The tenant access of a route handler when it is a guard (undefined for any other handler).
 *
 * @example
 * for (const r of app.routes) guardAccess(r.handler, r.method);
 */
export function guardAccess(handler: unknown, method: string): TenantAccess | undefined {
  if (typeof handler !== 'function' || !declared.has(handler)) return undefined;
  return accessFor(method, declared.get(handler));
}

/**
 * The guard of every API route: authenticates the caller and checks its role (`authorize`), then
 * resolves the tenant the request acts for (`resolveTenant`), refuses what the tenant's status
 * does not allow, and sets it on the context. `{ tenant: 'none' }` for routes about no tenant.
 *
 * @example
 * createRoute({ ..., middleware: [deps.guard('operator', { tenant: 'sync' })] as const });
 */
export function createGuard(
  auth: Authenticator,
  tenants: TenantDirectory,
  role: Role,
  options: GuardOptions = {},
): MiddlewareHandler<AppEnv> {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    const principal = await authorize(c, auth, role);
    const access = accessFor(c.req.method, options.tenant);
    if (access !== 'none') {
      const tenant = await resolveTenant(c.req.header(tenantHeader), principal, tenants);
      c.set('tenant', tenant);
      c.set('log', c.get('log').child({ tenantId: tenant.tenantId }));
      checkTenantAccess(tenant, access);
    }
    await next();
  };
  declared.set(guard, options.tenant);
  return guard;
}
