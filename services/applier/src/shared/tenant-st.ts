import { AppError } from '@pricebook/errors';
import type { StClient } from '@pricebook/st-client';
import { refusedForStatus, type TenantConnection } from '@pricebook/tenants';

/**
 * Each tenant's ServiceTitan client and connection: `TenantStClients` of @pricebook/tenants (the
 * directory's credentials, on the shared rate budget). `forTenant` throws `not_found` for a tenant
 * the directory does not know and `tenant_unavailable` for a paused or removed one, or one whose
 * credentials are missing or cannot be read.
 *
 * @example
 * const { st, connection } = await clients.forTenant(message.tenant);
 */
export interface StClients<S = StClient> {
  forTenant(tenantId: string): Promise<{ st: S; connection: Pick<TenantConnection, 'applicationGuid'> }>;
}

/** Why a tenant cannot be reached, in words a sync's reason can carry. */
export interface TenantRefusal {
  /** `tenant_unavailable` (unknown, paused, removed) or `push_not_configured` (no credentials). */
  code: 'tenant_unavailable' | 'push_not_configured';
  message: string;
}

/**
 * What the directory's refusal to give a tenant's connection means; undefined for any other
 * error (a database outage is retried, not recorded as the tenant's fault).
 *
 * @example
 * const refusal = tenantRefusal(error); // { code: 'tenant_unavailable', message: 'tenant 1002 is paused' }
 */
export function tenantRefusal(error: unknown): TenantRefusal | undefined {
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'not_found') return { code: 'tenant_unavailable', message: error.message };
  if (error.code !== 'tenant_unavailable') return undefined;
  const code = refusedForStatus(error) ? 'tenant_unavailable' : 'push_not_configured';
  return { code, message: error.message };
}

/**
 * The clients of a process that talks to one tenant with one client it built itself (a script, a
 * benchmark, a test); any other tenant is unknown (`not_found`), as the directory would say.
 *
 * @example
 * runPush({ ...deps, clients: singleTenantClients('1001', st, applicationGuid) }, command, log, 1);
 */
export function singleTenantClients<S = StClient>(
  tenantId: string,
  st: S,
  applicationGuid?: string,
): StClients<S> {
  return {
    async forTenant(asked) {
      if (asked !== tenantId) throw new AppError('not_found', `no tenant ${asked}`);
      return { st, connection: { applicationGuid } };
    },
  };
}
