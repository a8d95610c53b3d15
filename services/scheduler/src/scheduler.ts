import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { consumers, parseSubject, type Tenant } from '@pricebook/contracts';
import { type Orm, recordDeadLetter } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { type PoisonRecord, publishedTypes, runConsumer } from '@pricebook/messaging';
import { startRelay } from '@pricebook/outbox';
import { openSchedulerState, type ScheduleConfig, type SchedulerStateStore } from '@pricebook/schedule';
import { type Clock, systemClock } from './clock';
import { type ScheduleProblem, startReconciler } from './reconciler';
import { recordUnschedulable } from './record-skip';
import { type FiredTick, type PublishedTick, startTenantSet } from './tenant-set';
import { type TickOutcome, tickHandler } from './tick-handler';

/** What the scheduler reads of the tenants (a `TenantDirectory`). */
export interface TenantSource {
  list(): Promise<Tenant[]>;
  get(tenantId: string): Promise<Tenant | undefined>;
}

export interface SchedulerOptions {
  orm: Orm;
  nc: NatsConnection;
  js: JetStreamClient;
  log: Logger;
  tenants: TenantSource;
  /** The deployment's crons and zone (SYNC_FULL_CRON…), for whatever a tenant leaves `null`. */
  defaults: ScheduleConfig;
  /** Time between two reads of the tenant list (TENANT_REFRESH_MS). */
  refreshMs: number;
  /** The switch's initial value, written only when the KV has none (SYNC_SCHEDULER_ENABLED). */
  enabledByDefault: boolean;
  /**
   * Publish one full-sync tick when a tenant's schedules start and one was missed
   * (SYNC_RUN_OVERDUE_ON_START): at start, and when a tenant is added or resumed.
   */
  runOverdueOnStart: boolean;
  runStaleAfterMs: number;
  clock?: Clock;
  /** Told about each tick this replica published (`duplicate`: another replica's copy was first). */
  onPublished?: (tick: PublishedTick) => void;
  /** Told about each tick this replica's timer fired (`enabled`: whether it was published). */
  onTick?: (tick: FiredTick) => void;
  /** Told about each tick this replica consumed. */
  onOutcome?: (outcome: TickOutcome) => void;
}

export interface RunningScheduler {
  /** This replica's view of a tenant's shared switch; `false` for a tenant without schedules here. */
  isEnabled(tenantId: string): boolean;
  /** The tenants whose schedules run on this replica, with their crons and zone. */
  scheduled(): ReadonlyMap<string, ScheduleConfig>;
  /** The active tenants without schedules, and why (an invalid cron or zone). */
  problems(): readonly ScheduleProblem[];
  /** Stops the tenant refresh and the timers, then the consumer (finishing the tick in hand), then the relay. */
  stop(): Promise<void>;
  /** Resolves when the consumer stopped (after `stop()` or a closed connection). */
  readonly stopped: Promise<void>;
}

function recordPoison(orm: Orm) {
  return async (record: PoisonRecord) => {
    await recordDeadLetter(orm.em.fork(), {
      // Whose it was, when its subject says (the consumer serves every tenant).
      tenantId: parseSubject(record.subject)?.tenant ?? null,
      stream: record.stream,
      consumer: record.consumer,
      subject: record.subject,
      streamSeq: record.streamSeq,
      deliveryCount: record.deliveryCount,
      payload: record.payload,
      reason: `${record.reason}: ${record.detail}`,
    });
  };
}

/** One switch store per tenant, opened once and shared by its schedules and the consumer. */
function stateStores(nc: NatsConnection) {
  const opened = new Map<string, Promise<SchedulerStateStore>>();
  return (tenantId: string) => {
    let store = opened.get(tenantId);
    if (!store) {
      store = openSchedulerState(nc, tenantId);
      // A failed open (NATS down) is tried again next time instead of being remembered.
      store.catch(() => opened.delete(tenantId));
      opened.set(tenantId, store);
    }
    return store;
  };
}

/**
 * Starts one scheduler replica for every tenant of the deployment: runs the `scheduler` consumer
 * that turns any tenant's ticks into its syncs, keeps one set of schedules per active tenant (its
 * own crons and zone, the deployment's where it sets none; see {@link startReconciler}), each with
 * the tenant's start/stop switch and overdue check, and relays the outbox rows its user may publish
 * (public events and sync commands), so they go out even while no applier runs. Any number of
 * replicas may run: each tick's message id, tenant included, is the same on all of them, so it
 * becomes one sync.
 *
 * @example
 * const scheduler = await startScheduler({ orm, nc, js, log, tenants: new TenantDirectory(orm, env),
 *   defaults: { fullCron: '0 2 * * *', incrementalCron: '0 *\/6 * * *', timezone: 'UTC' },
 *   refreshMs: 30_000, enabledByDefault: true, runOverdueOnStart: true, runStaleAfterMs: 600_000 });
 * process.once('SIGTERM', () => scheduler.stop());
 */
export async function startScheduler(options: SchedulerOptions): Promise<RunningScheduler> {
  const { orm, js, tenants } = options;
  const log = options.log.child({ component: 'scheduler' });
  const clock = options.clock ?? systemClock;
  const stateOf = stateStores(options.nc);

  const runner = runConsumer({
    js,
    log,
    consumer: consumers.scheduler,
    batchSize: 1,
    handler: tickHandler({
      orm,
      js,
      stateOf,
      tenantOf: (tenantId) => tenants.get(tenantId),
      enabledByDefault: options.enabledByDefault,
      runStaleAfterMs: options.runStaleAfterMs,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    }),
    onPoison: recordPoison(orm),
  });

  // Each writer relays, so a sync command or public event never waits for the applier.
  const relay = startRelay({ orm, js, log, types: publishedTypes('scheduler') });

  const reconciler = await startReconciler({
    list: () => tenants.list(),
    defaults: options.defaults,
    refreshMs: options.refreshMs,
    clock,
    log,
    start: async (tenantId, config, restart) =>
      startTenantSet({
        orm,
        js,
        log,
        clock,
        tenantId,
        config,
        state: await stateOf(tenantId),
        enabledByDefault: options.enabledByDefault,
        runOverdue: options.runOverdueOnStart && !restart,
        ...(options.onTick ? { onTick: options.onTick } : {}),
        ...(options.onPublished ? { onPublished: options.onPublished } : {}),
      }),
    record: (problem) => recordUnschedulable(orm.em.fork(), problem),
  });

  return {
    isEnabled: (tenantId) => reconciler.sets.get(tenantId)?.isEnabled() ?? false,
    scheduled: () => new Map([...reconciler.sets].map(([id, set]) => [id, set.config])),
    problems: () => [...reconciler.problems.values()],
    stopped: runner.stopped,
    async stop() {
      await reconciler.stop();
      await runner.stop();
      await relay.stop();
    },
  };
}
