import { jetstream } from '@nats-io/jetstream';
import { loadConfig, natsAuthOf } from '@pricebook/config';
import { consumers } from '@pricebook/contracts';
import { createOrm, pgRateBudgetStore } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { connectNats, inboxPrefixOf, runConsumer, stopOnSignals } from '@pricebook/messaging';
import { startOperations, stClientMetrics } from '@pricebook/observability';
import { SharedRateLimiter, StClient, stClientOptionsFromEnv } from '@pricebook/st-client';
import { fetcherEnv } from './env';
import { fetcherHandler } from './handler';

// Composition root: env → logger → database (rate budget) → NATS (provisioned by the admin user)
// → consumer → graceful shutdown.
const env = loadConfig(fetcherEnv);
const log = createLogger({ service: 'fetcher', level: env.LOG_LEVEL });
// Only for the rate budget shared with the applier and every replica. Not part of readiness:
// while the database is down the in-process limit applies and the fetcher goes on.
const orm = await createOrm(env.DATABASE_URL, { poolMax: 2, applicationName: 'fetcher', logger: log });
const nc = await connectNats({
  url: env.NATS_URL,
  name: 'fetcher',
  log,
  auth: natsAuthOf(env),
  inboxPrefix: inboxPrefixOf('fetcher'),
});
const js = jetstream(nc);
const ops = await startOperations({
  service: 'fetcher',
  port: env.HEALTH_PORT,
  log,
  nc,
  consumers: [consumers.fetcher],
});

const connection = stClientOptionsFromEnv(env);
const st = new StClient({
  ...connection,
  logger: log,
  rateLimiter: new SharedRateLimiter({
    store: pgRateBudgetStore(orm),
    appKey: connection.appKey,
    tenantId: connection.tenantId,
    logger: log,
  }),
  pauseOn429: true,
  onEvent: stClientMetrics(ops.metrics),
});
const runner = runConsumer({
  js,
  log,
  consumer: consumers.fetcher,
  // One sync at a time per replica: a sync is long and ST's rate limit is per tenant.
  batchSize: 1,
  handler: fetcherHandler({
    st,
    js,
    log,
    tenant: env.ST_TENANT_ID,
    publishConcurrency: env.FETCHER_PUBLISH_CONCURRENCY,
    includeRecentChanges: env.FETCHER_INCLUDE_RECENT_CHANGES,
    listPageSize: env.FETCHER_LIST_PAGE_SIZE,
  }),
  onPoison: (record) => log.error({ ...record, payload: undefined }, 'sync command dead-lettered'),
  metrics: ops.metrics,
});
log.info({ tenant: env.ST_TENANT_ID }, 'fetcher started');

await stopOnSignals({
  log,
  stopped: runner.stopped,
  steps: [() => runner.stop(), () => ops.close(), () => nc.drain(), () => orm.close()],
});
