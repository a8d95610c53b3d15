import type { Tenant } from '@pricebook/contracts';
import type { Logger } from '@pricebook/logger';
import type { ScheduleConfig } from '@pricebook/schedule';
import type { Clock } from './clock';
import { resolveSchedule, sameSchedule } from './tenant-schedule';
import type { TenantSet } from './tenant-set';

/** A tenant that gets no schedule, and why. */
export interface ScheduleProblem {
  tenantId: string;
  reason: string;
  schedules: Array<'full' | 'incremental'>;
}

export interface ReconcilerOptions {
  /** The tenants to serve (a `TenantDirectory`). */
  list: () => Promise<Tenant[]>;
  /** The deployment's crons and zone, for whatever a tenant leaves `null`. */
  defaults: ScheduleConfig;
  /** Time between two reads of the tenant list (TENANT_REFRESH_MS). */
  refreshMs: number;
  clock: Clock;
  log: Logger;
  /** Starts a tenant's schedules; `restart`: only its schedule changed (no overdue check then). */
  start: (tenantId: string, config: ScheduleConfig, restart: boolean) => Promise<TenantSet>;
  /** Records why a tenant gets no schedule; called again only when the reason changes. */
  record: (problem: ScheduleProblem) => Promise<void>;
}

export interface Reconciler {
  /** The tenants whose schedules run on this replica. */
  readonly sets: ReadonlyMap<string, TenantSet>;
  /** The tenants left without schedules because their settings are invalid. */
  readonly problems: ReadonlyMap<string, ScheduleProblem>;
  /** Stops the refreshes, then every tenant's schedules. */
  stop(): Promise<void>;
}

/**
 * Keeps one set of schedules per active tenant: reads the tenant list now and every `refreshMs`,
 * starts the sets of new (or resumed) tenants, restarts those whose crons or zone changed, and
 * stops those paused or removed. A tenant whose settings are invalid gets none, and its reason is
 * logged and recorded once; the others go on. A failed read or start is logged and tried again at
 * the next refresh. Resolves once the first pass is done, so the schedules run when it returns.
 *
 * @example
 * const reconciler = await startReconciler({ list: () => tenants.list(), defaults, refreshMs: 30_000,
 *   clock, log, start, record });
 */
export async function startReconciler(options: ReconcilerOptions): Promise<Reconciler> {
  const { log } = options;
  const sets = new Map<string, TenantSet>();
  const problems = new Map<string, ScheduleProblem>();
  const controller = new AbortController();

  const report = async (problem: ScheduleProblem) => {
    if (problems.get(problem.tenantId)?.reason === problem.reason) return;
    log.warn(
      { tenant: problem.tenantId, reason: problem.reason },
      'tenant has no schedules: its settings are invalid',
    );
    try {
      await options.record(problem);
      problems.set(problem.tenantId, problem);
    } catch (err) {
      log.warn(
        { err, tenant: problem.tenantId },
        'schedule problem not recorded; the next refresh tries again',
      );
    }
  };

  const pass = async () => {
    let listed: Tenant[];
    try {
      listed = await options.list();
    } catch (err) {
      log.warn({ err }, 'tenant list not read; schedules stay as they are until the next refresh');
      return;
    }
    const wanted = new Map<string, ScheduleConfig>();
    const statusOf = new Map(listed.map((t) => [t.tenantId, t.status]));
    for (const tenant of listed) {
      if (tenant.status !== 'active') continue;
      const resolved = resolveSchedule(tenant, options.defaults);
      if (resolved.ok) {
        wanted.set(tenant.tenantId, resolved.config);
        if (problems.delete(tenant.tenantId))
          log.info({ tenant: tenant.tenantId }, 'tenant settings valid again');
      } else {
        await report({ tenantId: tenant.tenantId, reason: resolved.reason, schedules: resolved.schedules });
      }
    }
    for (const id of problems.keys())
      if (!wanted.has(id) && statusOf.get(id) !== 'active') problems.delete(id);

    const restarted = new Set<string>();
    for (const [id, set] of sets) {
      const config = wanted.get(id);
      if (config && sameSchedule(config, set.config)) continue;
      sets.delete(id);
      await set.stop();
      if (config) restarted.add(id);
      const status = statusOf.get(id);
      const why = config ? 'schedule changed' : status === 'active' ? 'invalid settings' : (status ?? 'gone');
      log.info({ tenant: id, why }, 'tenant schedules stopped');
    }
    for (const [id, config] of wanted) {
      if (sets.has(id) || controller.signal.aborted) continue;
      try {
        sets.set(id, await options.start(id, config, restarted.has(id)));
        log.info({ tenant: id, ...config }, 'tenant schedules started');
      } catch (err) {
        log.warn({ err, tenant: id }, 'tenant schedules not started; the next refresh tries again');
      }
    }
  };

  await pass();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      await options.clock.sleep(options.refreshMs, controller.signal);
      if (controller.signal.aborted) return;
      await pass().catch((err: unknown) => log.warn({ err }, 'tenant schedules not refreshed'));
    }
  })();

  return {
    sets,
    problems,
    async stop() {
      controller.abort();
      await loop;
      await Promise.all([...sets.values()].map((set) => set.stop()));
      sets.clear();
    },
  };
}
