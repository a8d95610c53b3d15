import { consumers } from '@pricebook/contracts';
import { runService } from '@pricebook/service-kit';
import { schedulerEnv } from './env';
import { housekeepingParts } from './housekeeping/index';
import { startScheduler } from './scheduler';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'scheduler',
  env: schedulerEnv,
  database: true,
  nats: true,
  health: { consumers: [consumers.scheduler] },
  start: async ({ env, log, orm, nc, js, metrics }) => {
    const scheduler = await startScheduler({
      orm,
      nc,
      js,
      log,
      tenantId: env.ST_TENANT_ID,
      fullCron: env.SYNC_FULL_CRON,
      incrementalCron: env.SYNC_INCREMENTAL_CRON,
      timezone: env.SYNC_TIMEZONE,
      enabledByDefault: env.SYNC_SCHEDULER_ENABLED,
      runOverdueOnStart: env.SYNC_RUN_OVERDUE_ON_START,
      runStaleAfterMs: env.SYNC_RUN_STALE_MS,
    });
    const { SYNC_FULL_CRON: fullCron, SYNC_INCREMENTAL_CRON: incrementalCron, SYNC_TIMEZONE: timezone } = env;
    log.info({ enabled: scheduler.isEnabled(), fullCron, incrementalCron, timezone }, 'schedules loaded');
    return { scheduler, ...housekeepingParts({ env, orm, log, metrics }) };
  },
});
