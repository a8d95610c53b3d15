import { type Orm, pgRateBudgetStore } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import {
  SharedRateLimiter,
  StClient,
  type StClientEventListener,
  type StClientOptions,
} from '@pricebook/st-client';
import type { TenantConnection, TenantDirectory } from './directory';

export interface TenantStClientsOptions {
  tenants: TenantDirectory;
  orm: Orm;
  log: Logger;
  /** Counts ServiceTitan requests, 429s and retries in the service's metrics, per tenant. */
  onEvent?: (tenantId: string) => StClientEventListener;
}

/**
 * One ServiceTitan client per tenant, built from the tenant's current credentials and rebuilt
 * when they change. Each client's rate budget is its (application key, tenant)'s, kept in the
 * database and shared by every process and replica, as ServiceTitan counts it; a 429 pauses it
 * for all of them and for no other tenant.
 *
 * @example
 * const clients = new TenantStClients({ tenants, orm, log });
 * const { st, connection } = await clients.forTenant('1001');
 */
export class TenantStClients {
  readonly #clients = new Map<string, { version: string; st: StClient }>();

  constructor(private readonly options: TenantStClientsOptions) {}

  /** Throws what `TenantDirectory.connection` throws (unknown, paused, removed, unreadable). */
  async forTenant(tenantId: string): Promise<{ st: StClient; connection: TenantConnection }> {
    const connection = await this.options.tenants.connection(tenantId);
    const cached = this.#clients.get(tenantId);
    if (cached?.version === connection.version) return { st: cached.st, connection };
    const { onEvent, ...deps } = this.options;
    const st = stClientFor(connection, { ...deps, ...(onEvent ? { onEvent: onEvent(tenantId) } : {}) });
    this.#clients.set(tenantId, { version: connection.version, st });
    return { st, connection };
  }
}

/**
 * A ServiceTitan client for one tenant's connection, on the shared rate budget.
 *
 * @example
 * const st = stClientFor(await tenants.connection('1001'), { orm, log });
 */
export function stClientFor(
  connection: TenantConnection,
  deps: { orm: Orm; log: Logger; onEvent?: StClientEventListener },
  /** Overrides of the client's retry bounds (a connection test gives up sooner). */
  retry?: StClientOptions['retry'],
): StClient {
  const { applicationGuid: _guid, version: _version, ...options } = connection;
  const log = deps.log.child({ tenant: connection.tenantId });
  return new StClient({
    ...options,
    rateLimiter: new SharedRateLimiter({
      store: pgRateBudgetStore(deps.orm),
      appKey: connection.appKey,
      tenantId: connection.tenantId,
      logger: log,
    }),
    pauseOn429: true,
    logger: log,
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    ...(retry ? { retry } : {}),
  });
}
