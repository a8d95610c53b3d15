import type { Orm } from '@pricebook/db';
import { pgRateBudgetStore } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { type EngineMetrics, stClientMetrics } from '@pricebook/observability';
import { SharedRateLimiter, StClient, stClientOptionsFromEnv } from '@pricebook/st-client';
import type { FetcherEnv } from './env';

/**
 * The fetcher's ServiceTitan client. Its rate budget lives in the database, shared with the
 * applier and every replica, since ServiceTitan limits per application key and tenant; a 429
 * pauses every request of this process, not just the one that got it.
 *
 * @example
 * const st = createFetcherSt({ env, orm, log, metrics });
 */
export function createFetcherSt(deps: { env: FetcherEnv; orm: Orm; log: Logger; metrics: EngineMetrics }) {
  const { appKey, tenantId, ...connection } = stClientOptionsFromEnv(deps.env);
  const store = pgRateBudgetStore(deps.orm);
  return new StClient({
    ...connection,
    appKey,
    tenantId,
    logger: deps.log,
    rateLimiter: new SharedRateLimiter({ store, appKey, tenantId, logger: deps.log }),
    pauseOn429: true,
    onEvent: stClientMetrics(deps.metrics),
  });
}
