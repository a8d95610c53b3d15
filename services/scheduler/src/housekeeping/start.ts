import { formatRetention } from '@pricebook/config';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { EngineMetrics } from '@pricebook/observability';
import { type Clock, systemClock } from '../clock';
import { runTickLoop } from '../tick-loop';
import { type Resealable, resealCredentials } from './reseal';
import { type HousekeepingCounts, type Retentions, runHousekeeping } from './run';

export interface HousekeepingOptions {
  orm: Orm;
  log: Logger;
  /** The tenants whose rows it deletes: every tenant the deployment knows, paused and removed ones too. */
  tenantIds: () => Promise<string[]>;
  /** Re-seals stored credentials after each run (a `TenantDirectory`); none when absent. */
  credentials?: Resealable;
  /** When runs start (HOUSEKEEPING_CRON), read in `timezone`. */
  cron: string;
  timezone: string;
  retention: Retentions;
  batchSize: number;
  metrics?: EngineMetrics;
  clock?: Clock;
  /** Told about each run that finished (tests). */
  onRun?: (counts: HousekeepingCounts) => void;
}

export interface Housekeeping {
  /** Ends the run in hand after its current batch, then stops the schedule. */
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
}

/** The `table` label of each count: the table's own name. */
const tableOf: Record<keyof HousekeepingCounts, string> = {
  outbox: 'pricebook_outbox',
  deadLetters: 'pricebook_dead_letters',
  quarantine: 'pricebook_quarantine',
  audit: 'pricebook_changes',
  syncItems: 'pricebook_sync_items',
  syncLogs: 'pricebook_sync_log',
  driftReports: 'pricebook_drift_reports',
  webhookDeliveries: 'pricebook_webhook_deliveries',
  changeSets: 'pricebook_changesets',
  revokedSessions: 'pricebook_revoked_sessions',
  sessionCutoffs: 'pricebook_session_cutoffs',
};

const noneDeleted = (): HousekeepingCounts => ({
  outbox: 0,
  deadLetters: 0,
  quarantine: 0,
  audit: 0,
  syncItems: 0,
  syncLogs: 0,
  driftReports: 0,
  webhookDeliveries: 0,
  changeSets: 0,
  revokedSessions: 0,
  sessionCutoffs: 0,
});

/**
 * Runs housekeeping on its schedule: at each tick, deletes what is past its retention (see
 * {@link runHousekeeping}) for every tenant in turn, re-seals stored credentials sealed with an
 * older key, and logs one line with the counts. A tenant whose run fails (the database is down) is
 * logged and left to the next tick, and the other tenants go on; nothing is half done, as every
 * batch commits alone. Every replica runs it; they share the rows rather than repeat the work.
 *
 * @example
 * const housekeeping = startHousekeeping({ orm, log, tenantIds: async () => ['1001'],
 *   cron: '17 * * * *', timezone: 'UTC', batchSize: 1000, retention, credentials: tenants });
 */
export function startHousekeeping(options: HousekeepingOptions): Housekeeping {
  const log = options.log.child({ component: 'housekeeping' });
  const controller = new AbortController();
  const { metrics } = options;
  const retention = Object.fromEntries(
    Object.entries(options.retention).map(([kind, ms]) => [kind, formatRetention(ms)]),
  );
  log.info({ cron: options.cron, retention, batchSize: options.batchSize }, 'housekeeping scheduled');

  const runTenant = async (tenantId: string, counts: HousekeepingCounts) => {
    const mine = await runHousekeeping({
      orm: options.orm,
      tenantId,
      retention: options.retention,
      batchSize: options.batchSize,
      signal: controller.signal,
      onDeleted: (kind, count) => metrics?.housekeepingDeleted.inc({ table: tableOf[kind] }, count),
    });
    for (const kind of Object.keys(counts) as Array<keyof HousekeepingCounts>) counts[kind] += mine[kind];
  };

  const run = async (tickAt: Date) => {
    const started = Date.now();
    const at = tickAt.toISOString();
    const counts = noneDeleted();
    let failed = 0;
    let tenantIds: string[] = [];
    try {
      tenantIds = await options.tenantIds();
    } catch (err) {
      failed += 1;
      log.warn({ err, tickAt: at }, 'housekeeping run failed; the next tick tries again');
    }
    for (const tenantId of tenantIds) {
      if (controller.signal.aborted) break;
      try {
        await runTenant(tenantId, counts);
      } catch (err) {
        failed += 1;
        log.warn(
          { err, tenant: tenantId, tickAt: at, durationMs: Date.now() - started },
          'housekeeping run failed; the next tick tries again',
        );
      }
    }
    const resealed =
      options.credentials && !controller.signal.aborted
        ? await resealCredentials(options.credentials, log)
        : undefined;
    metrics?.housekeepingRuns.inc({ outcome: failed > 0 ? 'failed' : 'completed' });
    if (failed > 0) return;
    const stopped = controller.signal.aborted;
    log.info(
      {
        tickAt: at,
        tenants: tenantIds.length,
        deleted: counts,
        resealed,
        durationMs: Date.now() - started,
        stopped,
      },
      'housekeeping run finished',
    );
    options.onRun?.(counts);
  };

  const stopped = runTickLoop({
    pattern: options.cron,
    timezone: options.timezone,
    clock: options.clock ?? systemClock,
    signal: controller.signal,
    log,
    onTick: run,
  });
  return {
    stopped,
    async stop() {
      controller.abort();
      await stopped;
    },
  };
}
