/**
 * `pnpm --filter @pricebook/messaging provision`: creates or updates every stream, durable and KV
 * bucket the engine needs, and the integrators' durables (`NATS_INTEGRATOR_CONSUMERS`), logged in
 * as a user that may manage JetStream (`NATS_USER=admin` with the shipped config). Run it before
 * the services start and after every upgrade; it is idempotent.
 */
import { loadConfig, natsAuthOf, natsEnv } from '@pricebook/config';
import { createLogger } from '@pricebook/logger';
import { connectNats } from '../src/connect';
import { parseIntegratorConsumers, provisionDeployment } from '../src/provision-deployment';

const env = loadConfig(natsEnv);
const log = createLogger({ service: 'nats-provision' });
const nc = await connectNats({ url: env.NATS_URL, name: 'provision', log, auth: natsAuthOf(env) });
try {
  const report = await provisionDeployment(nc, {
    log,
    integratorConsumers: parseIntegratorConsumers(process.env.NATS_INTEGRATOR_CONSUMERS),
  });
  log.info({ streams: report.streams.length, consumers: report.consumers.length }, 'jetstream provisioned');
} catch (error) {
  log.error({ err: error }, 'provisioning failed');
  process.exitCode = 1;
} finally {
  await nc.close();
}
