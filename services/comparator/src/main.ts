import { consumers } from '@pricebook/contracts';
import { recordPoison } from '@pricebook/db';
import { runConsumer } from '@pricebook/messaging';
import { runService } from '@pricebook/service-kit';
import { comparatorHandler } from './compare-batch';
import { comparatorEnv } from './env';
import { SyncOptionsCache } from './sync-options';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'comparator',
  env: comparatorEnv,
  database: true,
  nats: true,
  health: { consumers: [consumers.comparator] },
  start: ({ env, log, orm, js, metrics }) => ({
    consumer: runConsumer({
      js,
      log,
      consumer: consumers.comparator,
      batchSize: env.COMPARATOR_BATCH_SIZE,
      lingerMs: env.COMPARATOR_LINGER_MS,
      handler: comparatorHandler({
        orm,
        js,
        syncOptions: new SyncOptionsCache(log),
        publishConcurrency: env.COMPARATOR_PUBLISH_CONCURRENCY,
      }),
      onPoison: recordPoison(orm),
      metrics,
    }),
  }),
});
