import { consumers } from '@pricebook/contracts';
import { type PoisonRecord, runConsumer } from '@pricebook/messaging';
import { runService } from '@pricebook/service-kit';
import { fetcherEnv, fetcherSettings } from './env';
import { fetcherHandler } from './handler';
import { createFetcherSt } from './st';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'fetcher',
  env: fetcherEnv,
  // The database holds only ServiceTitan's rate budget shared with every replica: not part of
  // readiness, since while it is down the in-process limit applies and the fetcher goes on.
  database: true,
  nats: true,
  health: { consumers: [consumers.fetcher], database: false },
  start: ({ env, log, orm, js, metrics }) => {
    const st = createFetcherSt({ env, orm, log, metrics });
    const handler = fetcherHandler({ st, js, log, ...fetcherSettings(env) });
    const onPoison = (record: PoisonRecord) =>
      log.error({ ...record, payload: undefined }, 'sync command dead-lettered');
    // One sync at a time per replica: a sync is long and ST's rate limit is per tenant.
    const consumer = runConsumer({
      js,
      log,
      consumer: consumers.fetcher,
      batchSize: 1,
      handler,
      onPoison,
      metrics,
    });
    return { consumer };
  },
});
