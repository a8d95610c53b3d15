import { type Orm, pgRateBudgetStore } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { SharedRateLimiter, StClient, type StClientEventListener } from '@pricebook/st-client';
import type { ApplierEnv } from '../env';

/** The ServiceTitan settings; absent credentials mean no client. */
export type StSettings = Pick<ApplierEnv, 'ST_TENANT_ID'> &
  Partial<
    Pick<ApplierEnv, 'ST_API_BASE_URL' | 'ST_AUTH_URL' | 'ST_CLIENT_ID' | 'ST_CLIENT_SECRET' | 'ST_APP_KEY'>
  >;

/**
 * One ServiceTitan client for the jobs that talk to ST (the write-back pushes, the fence reads
 * by id), or undefined when the credentials are not all set. Its rate budget is the one the
 * fetcher and every replica share, kept in the database; a 429 pauses it for all of them.
 *
 * @example
 * const st = stClientFromEnv(orm, env, log);
 */
export function stClientFromEnv(
  orm: Orm,
  env: StSettings,
  log: Logger,
  /** Counts ServiceTitan requests, 429s and retries in the service's metrics. */
  onEvent?: StClientEventListener,
): StClient | undefined {
  const { ST_CLIENT_ID: clientId, ST_CLIENT_SECRET: clientSecret, ST_APP_KEY: appKey } = env;
  if (!clientId || !clientSecret || !appKey) return undefined;
  return new StClient({
    baseUrl: env.ST_API_BASE_URL ?? 'https://api.servicetitan.io',
    authUrl: env.ST_AUTH_URL ?? 'https://auth.servicetitan.io',
    tenantId: env.ST_TENANT_ID,
    clientId,
    clientSecret,
    appKey,
    rateLimiter: new SharedRateLimiter({
      store: pgRateBudgetStore(orm),
      appKey,
      tenantId: env.ST_TENANT_ID,
      logger: log,
    }),
    pauseOn429: true,
    logger: log,
    ...(onEvent ? { onEvent } : {}),
  });
}
