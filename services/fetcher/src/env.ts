import { baseEnv, databasePoolMax, envBoolean, envInt, healthPort } from '@pricebook/config';
import { tenantsEnvFields } from '@pricebook/tenants';
import type { z } from 'zod';

/**
 * The fetcher's environment: logging, NATS, the tenants (the environment's own `ST_*` one, if
 * any, and the keys that open the credentials of those added through the API), and the database,
 * which holds the tenants and ServiceTitan's rate budget shared with the applier and every
 * replica (the fetcher writes no other table but the drift reports).
 *
 * @example
 * const env = loadConfig(fetcherEnv);
 */
export const fetcherEnv = baseEnv.extend({
  ...tenantsEnvFields,
  /**
   * Sync commands one replica runs at once (each its own consumer runner on the `fetcher`
   * durable). A tenant never has two syncs at once (the run lock), so this many tenants are
   * fetched side by side; ServiceTitan's rate budget is each tenant's own.
   */
  FETCHER_CONCURRENCY: envInt(10, 1, 64),
  /**
   * Most messages of one tenant `PRICEBOOK_PIPELINE` may hold before the fetcher publishes more
   * of that tenant's: a large sync then waits for the comparator and the applier instead of
   * queueing its whole pricebook in front of every other tenant's records. 0: no limit.
   */
  FETCHER_TENANT_BACKLOG: envInt(2_000, 0, 1_000_000),
  /**
   * Messages awaiting JetStream's acknowledgement at once, across pages: what the fetcher holds
   * in flight is bounded by this window and one page, whatever the pricebook's size.
   */
  FETCHER_PUBLISH_CONCURRENCY: envInt(256, 1, 4096),
  /**
   * Read export feeds with `includeRecentChanges=true`, so an edit made a minute ago is seen
   * now rather than 15 minutes later. Rows may then repeat; the fetcher de-duplicates them.
   */
  FETCHER_INCLUDE_RECENT_CHANGES: envBoolean(true),
  /**
   * Rows per page of a full sync's listing (ServiceTitan allows up to 5,000). Smaller pages
   * hold less in memory and make offset paging's page shifts likelier: a full sync confirms
   * by id what a listing missed before anything is deleted, so either size is safe.
   */
  FETCHER_LIST_PAGE_SIZE: envInt(5000, 1, 5000),
  /**
   * A full sync leaves each entity an export position: the instant it started reading, minus
   * this margin (for ServiceTitan's export lag and clock skew), so the next incremental reads
   * only what changed since. Records of the margin are read again and, unchanged, cost nothing.
   */
  FETCHER_EXPORT_POSITION_MARGIN_MS: envInt(900_000, 0, 86_400_000),
  /**
   * Drifted items a drift report lists at most (every one is counted): also the most a targeted
   * re-sync reads again per entity.
   */
  DRIFT_MAX_ITEMS: envInt(1_000, 1, 1_000),
  /** The tenants and the rate budget: a small pool. */
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9101),
});
export type FetcherEnv = z.infer<typeof fetcherEnv>;

/**
 * The handler's settings, apart from where they came from.
 *
 * @example
 * fetcherHandler({ clients, js, log, ...fetcherSettings(loadConfig(fetcherEnv)) });
 */
export function fetcherSettings(env: FetcherEnv) {
  return {
    backlog: { limit: env.FETCHER_TENANT_BACKLOG },
    publishConcurrency: env.FETCHER_PUBLISH_CONCURRENCY,
    includeRecentChanges: env.FETCHER_INCLUDE_RECENT_CHANGES,
    listPageSize: env.FETCHER_LIST_PAGE_SIZE,
    exportPositionMarginMs: env.FETCHER_EXPORT_POSITION_MARGIN_MS,
  };
}
