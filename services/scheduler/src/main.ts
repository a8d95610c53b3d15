import { jetstream } from '@nats-io/jetstream';
import { loadConfig, natsAuthOf } from '@pricebook/config';
import { consumers } from '@pricebook/contracts';
import { createOrm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { connectNats, inboxPrefixOf } from '@pricebook/messaging';
import { startOperations } from '@pricebook/observability';
import { schedulerEnv } from './env';
import { startScheduler } from './scheduler';

// Composition root: env → logger → database → NATS (provisioned by the admin user) → scheduler → ordered shutdown.
const env = loadConfig(schedulerEnv);
const log = createLogger({ service: 'scheduler', level: env.LOG_LEVEL });
const orm = await createOrm(env.DATABASE_URL, {
  poolMax: env.DB_POOL_MAX,
  applicationName: 'scheduler',
  logger: log,
});
const nc = await connectNats({
  url: env.NATS_URL,
  name: 'scheduler',
  log,
  auth: natsAuthOf(env),
  inboxPrefix: inboxPrefixOf('scheduler'),
});
const ops = await startOperations({
  service: 'scheduler',
  port: env.HEALTH_PORT,
  log,
  nc,
  orm,
  consumers: [consumers.scheduler],
});

const scheduler = await startScheduler({
  orm,
  nc,
  js: jetstream(nc),
  log,
  tenantId: env.ST_TENANT_ID,
  fullCron: env.SYNC_FULL_CRON,
  incrementalCron: env.SYNC_INCREMENTAL_CRON,
  timezone: env.SYNC_TIMEZONE,
  enabledByDefault: env.SYNC_SCHEDULER_ENABLED,
  runOverdueOnStart: env.SYNC_RUN_OVERDUE_ON_START,
  runStaleAfterMs: env.SYNC_RUN_STALE_MS,
});
log.info(
  {
    tenant: env.ST_TENANT_ID,
    enabled: scheduler.isEnabled(),
    fullCron: env.SYNC_FULL_CRON,
    incrementalCron: env.SYNC_INCREMENTAL_CRON,
    timezone: env.SYNC_TIMEZONE,
  },
  'scheduler started',
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'scheduler stopping');
  await scheduler.stop();
  await ops.close();
  await nc.drain();
  await orm.close();
  log.info('scheduler stopped');
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
await scheduler.stopped;
if (!stopping) {
  log.error('consumer stopped unexpectedly; exiting');
  process.exitCode = 1;
  await scheduler.stop();
  await nc.close();
  await orm.close();
}
