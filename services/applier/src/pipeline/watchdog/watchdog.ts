import { canTransition, failSync, lockSync, type Orm, syncTransitions } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { query } from '../../sql/query';
import { deadLetteredParts } from './dead-lettered';

export interface WatchdogOptions {
  orm: Orm;
  log: Logger;
  /** A queued or running sync whose progress has not moved for this long is failed. */
  stallMs: number;
  /** Time between two looks. */
  intervalMs: number;
  /** The clock (tests move it). */
  now?: () => number;
}

export interface Watchdog {
  /** One look at the open syncs; resolves with the ids it failed. */
  check(): Promise<string[]>;
  stop(): Promise<void>;
}

interface OpenSync {
  id: string;
  tenant_id: string;
  /** Everything that moves while a sync makes progress: status, counters, entity stats, run heartbeats. */
  progress: string;
}

const openSyncsSql = `
  select s.id, s.tenant_id::text as tenant_id,
         concat_ws('|', s.status, s.records_fetched, s.records_created, s.records_updated,
           s.records_deleted, s.records_skipped, s.conflicts, s.errors, s.entity_stats::text,
           (select max(r.heartbeat_at)::text from pricebook_sync_runs r where r.sync_log_id = s.id)) as progress
    from pricebook_sync_log s
   where s.status in (select jsonb_array_elements_text(?::jsonb))`;

/** The syncs the watchdog looks at: those it may still fail. */
const openStatuses = JSON.stringify(syncTransitions.fail.from);

/**
 * Makes sure every sync ends, of every tenant. A sync whose parts can no longer finish is marked `failed` with a
 * clear reason (a `sync.failed` event, its run locks released), so `?wait=true`, the progress
 * stream and the CLI end too:
 *
 * - one of its commands (`sync.command`, `sync.fence`, `push.command`) was dead-lettered;
 * - its progress (status, counters, run heartbeats) has not moved for `stallMs`.
 *
 * Stall time is counted only while the watchdog can read the database: after a failed look the
 * clock starts again, so an outage is waited out rather than blamed on the sync. Replicas are
 * safe: the sync row is locked and its progress compared again before it is failed.
 *
 * @example
 * const watchdog = startWatchdog({ orm, log, stallMs: 1_800_000, intervalMs: 30_000 });
 * process.once('SIGTERM', () => watchdog.stop());
 */
export function startWatchdog(options: WatchdogOptions): Watchdog {
  const { orm, stallMs } = options;
  const log = options.log.child({ component: 'watchdog' });
  const now = options.now ?? Date.now;
  /** Per open sync: the progress last seen and since when it has not moved. */
  const seen = new Map<string, { progress: string; since: number }>();

  async function fail(id: string, expected: string | undefined, error: { code: string; message: string }) {
    return orm.em.fork().transactional(async (em) => {
      const sync = await lockSync(em, id);
      if (!sync || !canTransition(sync.status, 'fail')) return false;
      if (expected !== undefined) {
        const [current] = await query<OpenSync>(em, `${openSyncsSql} and s.id = ?`, [openStatuses, id]);
        if (current?.progress !== expected) return false;
      }
      return (await failSync(em, id, error)).changed;
    });
  }

  async function check(): Promise<string[]> {
    let open: OpenSync[];
    let dead: Map<string, string>;
    try {
      const em = orm.em.fork();
      open = await query<OpenSync>(em, openSyncsSql, [openStatuses]);
      dead = await deadLetteredParts(
        em,
        open.map((s) => ({ id: s.id, tenantId: s.tenant_id })),
      );
    } catch (err) {
      seen.clear();
      log.warn({ err }, 'watchdog could not read the open syncs; it looks again later');
      return [];
    }
    const failed: string[] = [];
    const at = now();
    for (const sync of open) {
      const last = seen.get(sync.id);
      if (!last || last.progress !== sync.progress) seen.set(sync.id, { progress: sync.progress, since: at });
      const reason = dead.get(sync.id);
      const stalledFor = at - (seen.get(sync.id)?.since ?? at);
      const error = reason
        ? { code: 'dead_lettered', message: reason }
        : stalledFor >= stallMs
          ? {
              code: 'stalled',
              message: `no progress for ${Math.round(stalledFor / 1000)} s; its parts can no longer finish`,
            }
          : undefined;
      if (!error) continue;
      if (await fail(sync.id, reason ? undefined : sync.progress, error)) {
        log.warn({ syncId: sync.id, code: error.code, reason: error.message }, 'sync failed by the watchdog');
        failed.push(sync.id);
      }
      seen.delete(sync.id);
    }
    for (const id of seen.keys()) if (!open.some((s) => s.id === id)) seen.delete(id);
    return failed;
  }

  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = check().catch((err) => log.error({ err }, 'watchdog look failed'));
  }, options.intervalMs);
  timer.unref();
  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
