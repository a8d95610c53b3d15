import { jetstream } from '@nats-io/jetstream';
import { loadConfig, natsAuthOf } from '@pricebook/config';
import { consumers } from '@pricebook/contracts';
import { createOrm, recordPoison } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { connectNats, inboxPrefixOf, runConsumer, stopOnSignals } from '@pricebook/messaging';
import { startOperations } from '@pricebook/observability';
import { comparatorHandler } from './compare-batch';
import { comparatorEnv } from './env';
import { SyncOptionsCache } from './sync-options';

// Composition root: env → logger → database → NATS (provisioned by the admin user) → consumer → graceful shutdown.
const env = loadConfig(comparatorEnv);
const log = createLogger({ service: 'comparator', level: env.LOG_LEVEL });
const orm = await createOrm(env.DATABASE_URL, {
  poolMax: env.DATABASE_POOL_MAX,
  applicationName: 'comparator',
  logger: log,
});
const nc = await connectNats({
  url: env.NATS_URL,
  name: 'comparator',
  log,
  auth: natsAuthOf(env),
  inboxPrefix: inboxPrefixOf('comparator'),
});
const js = jetstream(nc);
const ops = await startOperations({
  service: 'comparator',
  port: env.HEALTH_PORT,
  log,
  nc,
  orm,
  consumers: [consumers.comparator],
});

const runner = runConsumer({
  js,
  log,
  consumer: consumers.comparator,
  batchSize: env.COMPARATOR_BATCH_SIZE,
  lingerMs: env.COMPARATOR_LINGER_MS,
  handler: comparatorHandler({
    orm,
    js,
    tenant: env.ST_TENANT_ID,
    syncOptions: new SyncOptionsCache(log),
    publishConcurrency: env.COMPARATOR_PUBLISH_CONCURRENCY,
  }),
  onPoison: recordPoison(orm),
  metrics: ops.metrics,
});
log.info({ tenant: env.ST_TENANT_ID }, 'comparator started');

await stopOnSignals({
  log,
  stopped: runner.stopped,
  steps: [() => runner.stop(), () => ops.close(), () => nc.drain(), () => orm.close()],
});
