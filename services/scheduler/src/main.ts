import { consumers } from '@pricebook/contracts';
import { runService, type ServiceParts } from '@pricebook/service-kit';
import { TenantDirectory } from '@pricebook/tenants';
import { startDriftChecks } from './drift-checks';
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
    const tenants = new TenantDirectory(orm, env);
    const defaults = {
      fullCron: env.SYNC_FULL_CRON,
      incrementalCron: env.SYNC_INCREMENTAL_CRON,
      timezone: env.SYNC_TIMEZONE,
    };
    const scheduler = await startScheduler({
      orm,
      nc,
      js,
      log,
      tenants,
      defaults,
      refreshMs: env.TENANT_REFRESH_MS,
      enabledByDefault: env.SYNC_SCHEDULER_ENABLED,
      runOverdueOnStart: env.SYNC_RUN_OVERDUE_ON_START,
      runStaleAfterMs: env.SYNC_RUN_STALE_MS,
    });
    const scheduled = scheduler.scheduled();
    log.info(
      {
        tenants: scheduled.size,
        defaults,
        refreshMs: env.TENANT_REFRESH_MS,
        invalid: scheduler.problems().length,
      },
      'schedules loaded',
    );
    const parts: ServiceParts = { scheduler, ...housekeepingParts({ env, orm, log, metrics, tenants }) };
    if (env.DRIFT_CRON) {
      const drift = { cron: env.DRIFT_CRON, timezone: env.SYNC_TIMEZONE };
      parts.drift = startDriftChecks({ js, log, tenants: () => tenants.list(), ...drift });
    }
    return parts;
  },
});
