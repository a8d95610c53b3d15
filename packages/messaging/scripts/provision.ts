/**
 * `pnpm --filter @pricebook/messaging provision`: creates or updates every stream, durable and KV
 * bucket the engine needs, and the integrators' durables (`NATS_INTEGRATOR_CONSUMERS`), logged in
 * as a user that may manage JetStream (`NATS_USER=admin` with the shipped config). Run it before
 * the services start and after every upgrade; it is idempotent. Stream replicas, max ages and
 * limits come from the environment (`NATS_STREAM_REPLICAS`…) and are updated on live streams;
 * `NATS_DEPLOYMENT` names the deployment whose streams, durables and bucket it makes.
 */
import { loadConfig, natsAuthOf, natsProvisionEnv, streamOptionsOf } from '@pricebook/config';
import { useDeployment } from '@pricebook/contracts';
import { createLogger } from '@pricebook/logger';
import { connectNats } from '../src/connect';
import { parseIntegratorConsumers, provisionDeployment } from '../src/provision-deployment';

const env = loadConfig(natsProvisionEnv);
useDeployment(env.NATS_DEPLOYMENT);
const log = createLogger({ service: 'nats-provision' });
const nc = await connectNats({ url: env.NATS_URL, name: 'provision', log, auth: natsAuthOf(env) });
try {
  const report = await provisionDeployment(nc, {
    log,
    integratorConsumers: parseIntegratorConsumers(process.env.NATS_INTEGRATOR_CONSUMERS),
    streamOptions: streamOptionsOf(env),
  });
  const changed = [...report.streams, ...report.consumers].filter((r) => r.action !== 'unchanged');
  log.info(
    {
      deployment: env.NATS_DEPLOYMENT,
      streams: report.streams.length,
      consumers: report.consumers.length,
      changed: changed.map((r) => ({ name: r.name, action: r.action, settings: r.changed })),
    },
    'jetstream provisioned',
  );
} catch (error) {
  log.error({ err: error }, 'provisioning failed');
  process.exitCode = 1;
} finally {
  await nc.close();
}
