import { runService } from '@pricebook/service-kit';
import { applierEnv } from './env';
import { applierConsumers } from './jobs';
import { startApplier } from './runtime';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'applier',
  env: applierEnv,
  database: true,
  // No async stack traces: nats.js would otherwise build two Error objects (with stacks) for every
  // publish and every acknowledgement, a fifth of the applier's CPU under load.
  nats: { waitOnFirstConnect: true, options: { noAsyncTraces: true } },
  health: { outboxBacklog: true },
  consumersOf: (env) => applierConsumers(env.APPLIER_JOBS),
  start: ({ env, log, orm, js, metrics }) => ({ jobs: startApplier({ orm, js, log, env, metrics }) }),
});
