import { consumers } from '@pricebook/contracts';
import { type PoisonRecord, runConsumer } from '@pricebook/messaging';
import { runService } from '@pricebook/service-kit';
import { driftHandler } from './drift/handler';
import { fetcherEnv, fetcherSettings } from './env';
import { fetcherHandler } from './handler';
import { runnerPool } from './runners';
import { createFetcherClients } from './st';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'fetcher',
  env: fetcherEnv,
  // The database holds the tenants and ServiceTitan's rate budget shared with every replica: not
  // part of readiness, since the environment's tenant needs neither (the in-process limit applies
  // while it is down) and a stored tenant's command waits for it in the runner.
  database: true,
  nats: true,
  health: { consumers: [consumers.fetcher, consumers.drift], database: false },
  start: ({ env, log, orm, js, metrics }) => {
    const clients = createFetcherClients({ env, orm, log, metrics });
    const handler = fetcherHandler({ clients, js, log, ...fetcherSettings(env) });
    const onPoison = (record: PoisonRecord) =>
      log.error({ ...record, payload: undefined }, 'sync command dead-lettered');
    // FETCHER_CONCURRENCY syncs at once per replica, one per runner: a sync is long, and each
    // tenant's share of the pipeline (FETCHER_TENANT_BACKLOG) keeps one from crowding the others.
    const consumer = runnerPool(env.FETCHER_CONCURRENCY, (signal) =>
      runConsumer({
        js,
        log,
        consumer: consumers.fetcher,
        batchSize: 1,
        handler,
        onPoison,
        metrics,
        signal,
      }),
    );
    // Drift checks read ServiceTitan and the database and publish nothing: one at a time per replica.
    const drift = runConsumer({
      js,
      log,
      consumer: consumers.drift,
      batchSize: 1,
      handler: driftHandler({ clients, orm, log, maxItems: env.DRIFT_MAX_ITEMS }),
      onPoison: (record: PoisonRecord) =>
        log.error({ ...record, payload: undefined }, 'drift command dead-lettered'),
      metrics,
    });
    return { consumer, drift };
  },
});
