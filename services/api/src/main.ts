import { serve } from '@hono/node-server';
import { jetstream } from '@nats-io/jetstream';
import { ConfigError, natsAuthOf } from '@pricebook/config';
import { createOrm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { connectNats, inboxPrefixOf, publish } from '@pricebook/messaging';
import { createMetrics } from '@pricebook/observability';
import { openSchedulerState } from '@pricebook/schedule';
import { createApp } from './app';
import { apiConfig, loadApiEnv } from './env';

// Composition root: env → logger → database → NATS → HTTP → ordered shutdown. Nothing else.

/** A command not acknowledged by then is left to the outbox relay; the client is not kept waiting. */
const publishTimeoutMs = 5_000;
/** In-flight requests (a `?wait=true` may be long) get this long after SIGTERM before being cut. */
const shutdownGraceMs = 10_000;

function readEnv() {
  try {
    return loadApiEnv();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

const env = readEnv();
const log = createLogger({ service: 'api', level: env.LOG_LEVEL });
const orm = await createOrm(env.DATABASE_URL, {
  poolMax: env.DB_POOL_MAX,
  applicationName: 'api',
  logger: log,
});
const nc = await connectNats({
  url: env.NATS_URL,
  name: 'api',
  log,
  auth: natsAuthOf(env),
  inboxPrefix: inboxPrefixOf('api'),
});
const js = jetstream(nc);
const schedulerState = await openSchedulerState(nc, env.ST_TENANT_ID);

const app = createApp({
  orm,
  log,
  metrics: createMetrics({ service: 'api' }),
  config: apiConfig(env),
  schedulerState,
  publish: async (message) => {
    await publish(js, message, { timeoutMs: publishTimeoutMs });
  },
  republish: async (message, msgId) => {
    await publish(js, message, { timeoutMs: publishTimeoutMs, msgId });
  },
  natsHealth: async () => {
    if (nc.isClosed()) throw new Error('nats connection closed');
    await nc.flush();
  },
});

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) =>
  log.info({ port: info.port, host: info.address }, 'http listening'),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const cut = setTimeout(() => {
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, shutdownGraceMs);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(cut);
  await nc.drain().catch((err: unknown) => log.warn({ err }, 'nats drain failed'));
  await orm.close();
  log.info('stopped');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
