import { baseEnvWithoutDatabase, databasePoolMax } from '@pricebook/config';
import { runService } from './run-service';

// A service on the kit for its process tests: NATS and one part, a loop that ends by itself on
// SIGUSR2, as a consumer loop that dies would. The loop does not use NATS, so a closed connection
// is noticed by the kit's own watch, not through the part.
await runService({
  name: 'probe',
  env: baseEnvWithoutDatabase.extend({ DATABASE_POOL_MAX: databasePoolMax(3) }),
  nats: true,
  start: ({ env, log, nc }) => {
    log.info({ poolMax: env.DATABASE_POOL_MAX }, 'probe settings');
    let end = () => {};
    const stopped = new Promise<void>((resolve) => {
      end = resolve;
    });
    process.once('SIGUSR2', () => {
      log.info('probe loop died');
      end();
    });
    const stop = async () => {
      log.info({ natsOpen: !nc.isClosed() }, 'probe part stopping');
      end();
      await stopped;
    };
    return { loop: { stopped, stop } };
  },
});
