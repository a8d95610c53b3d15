import { baseEnvWithoutDatabase, envBoolean, envInt } from '@pricebook/config';
import { healthPort } from '@pricebook/observability';
import { stClientEnv } from '@pricebook/st-client';
import type { z } from 'zod';

/**
 * The fetcher's environment: logging, NATS and ServiceTitan. No database: the fetcher only
 * reads ST and publishes.
 *
 * @example
 * const env = loadConfig(fetcherEnv);
 */
export const fetcherEnv = baseEnvWithoutDatabase.extend(stClientEnv.shape).extend({
  /** Messages in flight to JetStream at once. */
  FETCHER_PUBLISH_CONCURRENCY: envInt(256, 1, 4096),
  /**
   * Read export feeds with `includeRecentChanges=true`, so an edit made a minute ago is seen
   * now rather than 15 minutes later. Rows may then repeat; the fetcher de-duplicates them.
   */
  FETCHER_INCLUDE_RECENT_CHANGES: envBoolean(true),
  /** Port of `/metrics`, `/healthz` and `/readyz`; 0 = none. */
  HEALTH_PORT: healthPort(9101),
});
export type FetcherEnv = z.infer<typeof fetcherEnv>;
