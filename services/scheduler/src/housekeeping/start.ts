import { formatRetention } from '@pricebook/config';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { EngineMetrics } from '@pricebook/observability';
import { type Clock, systemClock } from '../clock';
import { runTickLoop } from '../tick-loop';
import { type HousekeepingCounts, type Retentions, runHousekeeping } from './run';

export interface HousekeepingOptions {
  orm: Orm;
  log: Logger;
  tenantId: string;
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
};

/**
 * Runs housekeeping on its schedule: at each tick, deletes what is past its retention (see
 * {@link runHousekeeping}) and logs one line with the counts. A run that fails (the database is
 * down) is logged and left to the next tick; nothing is half done, as every batch commits alone.
 * Every replica runs it; they share the rows rather than repeat the work.
 *
 * @example
 * const housekeeping = startHousekeeping({ orm, log, tenantId, cron: '17 * * * *', timezone: 'UTC',
 *   batchSize: 1000, retention });
 */
export function startHousekeeping(options: HousekeepingOptions): Housekeeping {
  const log = options.log.child({ component: 'housekeeping' });
  const controller = new AbortController();
  const { metrics } = options;
  const retention = Object.fromEntries(
    Object.entries(options.retention).map(([kind, ms]) => [kind, formatRetention(ms)]),
  );
  log.info({ cron: options.cron, retention, batchSize: options.batchSize }, 'housekeeping scheduled');

  const run = async (tickAt: Date) => {
    const started = Date.now();
    try {
      const counts = await runHousekeeping({
        orm: options.orm,
        tenantId: options.tenantId,
        retention: options.retention,
        batchSize: options.batchSize,
        signal: controller.signal,
        onDeleted: (kind, count) => metrics?.housekeepingDeleted.inc({ table: tableOf[kind] }, count),
      });
      metrics?.housekeepingRuns.inc({ outcome: 'completed' });
      const stopped = controller.signal.aborted;
      log.info(
        { tickAt: tickAt.toISOString(), deleted: counts, durationMs: Date.now() - started, stopped },
        'housekeeping run finished',
      );
      options.onRun?.(counts);
    } catch (err) {
      metrics?.housekeepingRuns.inc({ outcome: 'failed' });
      log.warn(
        { err, tickAt: tickAt.toISOString(), durationMs: Date.now() - started },
        'housekeeping run failed; the next tick tries again',
      );
    }
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
