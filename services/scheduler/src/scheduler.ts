import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { consumers, type ScheduleName } from '@pricebook/contracts';
import { type Orm, recordDeadLetter } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { type PoisonRecord, publish, publishedTypes, runConsumer } from '@pricebook/messaging';
import { startRelay } from '@pricebook/outbox';
import { cronOf, openSchedulerState, type ScheduleConfig } from '@pricebook/schedule';
import { type Clock, systemClock } from './clock';
import { overdueFullTick } from './overdue';
import { type TickOutcome, tickHandler } from './tick-handler';
import { runTickLoop } from './tick-loop';
import { tickMessage } from './tick-message';

export interface SchedulerOptions extends ScheduleConfig {
  orm: Orm;
  nc: NatsConnection;
  js: JetStreamClient;
  log: Logger;
  tenantId: string;
  /** The switch's initial value, written only when the KV has none (SYNC_SCHEDULER_ENABLED). */
  enabledByDefault: boolean;
  /** Publish one full-sync tick on start when a scheduled one was missed (SYNC_RUN_OVERDUE_ON_START). */
  runOverdueOnStart: boolean;
  runStaleAfterMs: number;
  clock?: Clock;
  /** Told about each tick this replica published (`duplicate`: another replica's copy was first). */
  onPublished?: (tick: { schedule: ScheduleName; tickAt: string; duplicate: boolean }) => void;
  /** Told about each tick this replica's timer fired (`enabled`: whether it was published). */
  onTick?: (tick: { schedule: ScheduleName; tickAt: string; enabled: boolean }) => void;
  /** Told about each tick this replica consumed. */
  onOutcome?: (outcome: TickOutcome) => void;
}

export interface RunningScheduler {
  /** This replica's view of the shared switch (kept current by a KV watch). */
  isEnabled(): boolean;
  /** Stops the timers, then the consumer (finishing the tick in hand), then the relay and the watch. */
  stop(): Promise<void>;
  /** Resolves when the consumer stopped (after `stop()` or a closed connection). */
  readonly stopped: Promise<void>;
}

const schedules: readonly ScheduleName[] = ['full', 'incremental'];

function recordPoison(orm: Orm, tenantId: string) {
  return async (record: PoisonRecord) => {
    await recordDeadLetter(orm.em.fork(), {
      tenantId,
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

/**
 * Starts one scheduler replica: reads (or first writes) the shared start/stop switch and watches
 * it, runs the `scheduler` consumer that turns ticks into syncs, publishes an overdue full-sync
 * tick if one was missed, fires both schedules, and relays the outbox rows its user may publish
 * (public events and sync commands), so they go out even while no applier runs. Any number of
 * replicas may run: each tick's message id is the same on all of them, so it becomes one sync.
 *
 * @example
 * const scheduler = await startScheduler({ orm, nc, js, log, tenantId: '1001', fullCron: '0 2 * * *',
 *   incrementalCron: '0 *\/6 * * *', timezone: 'UTC', enabledByDefault: true, runOverdueOnStart: true,
 *   runStaleAfterMs: 600_000 });
 * process.once('SIGTERM', () => scheduler.stop());
 */
export async function startScheduler(options: SchedulerOptions): Promise<RunningScheduler> {
  const { orm, js, tenantId } = options;
  const log = options.log.child({ component: 'scheduler', tenant: tenantId });
  const clock = options.clock ?? systemClock;
  const state = await openSchedulerState(options.nc, tenantId);
  let enabled = (await state.initialize(options.enabledByDefault)).enabled;
  const watcher = await state.watch((value) => {
    if (value.enabled !== enabled)
      log.info({ enabled: value.enabled, by: value.updatedBy }, 'scheduler switched');
    enabled = value.enabled;
  });
  watcher.done.catch((err: unknown) => log.warn({ err }, 'scheduler state watch ended'));

  const runner = runConsumer({
    js,
    log,
    consumer: consumers.scheduler,
    batchSize: 1,
    handler: tickHandler({
      orm,
      js,
      state,
      tenantId,
      enabledByDefault: options.enabledByDefault,
      runStaleAfterMs: options.runStaleAfterMs,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    }),
    onPoison: recordPoison(orm, tenantId),
  });

  const publishTick = async (schedule: ScheduleName, tickAt: Date) => {
    options.onTick?.({ schedule, tickAt: tickAt.toISOString(), enabled });
    if (!enabled) return;
    const message = tickMessage(tenantId, schedule, tickAt);
    try {
      const { duplicate } = await publish(js, message, { timeoutMs: 5_000 });
      log.debug({ schedule, tickAt: message.data.tickAt, duplicate }, 'tick published');
      options.onPublished?.({ schedule, tickAt: tickAt.toISOString(), duplicate });
    } catch (err) {
      // Another replica may have published it; if none did, this tick is lost, the next one runs.
      log.warn({ err, schedule, tickAt: message.data.tickAt }, 'tick not published');
    }
  };

  if (options.runOverdueOnStart && enabled) {
    const overdue = await overdueFullTick(orm.em.fork(), {
      tenantId,
      fullCron: options.fullCron,
      timezone: options.timezone,
      now: clock.now(),
    });
    if (overdue) {
      log.info({ tickAt: overdue.toISOString() }, 'overdue full sync');
      await publishTick('full', overdue);
    }
  }

  // Each writer relays, so a sync command or public event never waits for the applier.
  const relay = startRelay({ orm, js, log, types: publishedTypes('scheduler') });

  const controller = new AbortController();
  const loops = schedules.map((schedule) =>
    runTickLoop({
      pattern: cronOf(options, schedule),
      timezone: options.timezone,
      clock,
      signal: controller.signal,
      log: log.child({ schedule }),
      onTick: (tickAt) => publishTick(schedule, tickAt),
    }),
  );

  return {
    isEnabled: () => enabled,
    stopped: runner.stopped,
    async stop() {
      controller.abort();
      await Promise.all(loops);
      await runner.stop();
      await relay.stop();
      watcher.stop();
    },
  };
}
