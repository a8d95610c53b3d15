import type { JetStreamClient } from '@nats-io/jetstream';
import type { ScheduleName } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { publish } from '@pricebook/messaging';
import { cronOf, type ScheduleConfig, type SchedulerStateStore } from '@pricebook/schedule';
import type { Clock } from './clock';
import { overdueFullTick } from './overdue';
import { runTickLoop } from './tick-loop';
import { tickMessage } from './tick-message';

/** A tick this replica's timer fired for a tenant (`enabled`: whether it was published). */
export interface FiredTick {
  tenant: string;
  schedule: ScheduleName;
  tickAt: string;
  enabled: boolean;
}

/** A tick this replica published (`duplicate`: another replica's copy was first). */
export interface PublishedTick {
  tenant: string;
  schedule: ScheduleName;
  tickAt: string;
  duplicate: boolean;
}

export interface TenantSetOptions {
  orm: Orm;
  js: JetStreamClient;
  log: Logger;
  clock: Clock;
  tenantId: string;
  config: ScheduleConfig;
  state: SchedulerStateStore;
  /** The switch's initial value, written only when the KV has none (SYNC_SCHEDULER_ENABLED). */
  enabledByDefault: boolean;
  /** Publish one full-sync tick now when a scheduled one was missed. */
  runOverdue: boolean;
  onTick?: (tick: FiredTick) => void;
  onPublished?: (tick: PublishedTick) => void;
}

/** One tenant's running schedules. */
export interface TenantSet {
  readonly tenantId: string;
  readonly config: ScheduleConfig;
  /** This replica's view of the tenant's shared switch (kept current by a KV watch). */
  isEnabled(): boolean;
  /** Stops the timers (a tick being published finishes) and the watch. */
  stop(): Promise<void>;
}

const schedules: readonly ScheduleName[] = ['full', 'incremental'];

/**
 * Starts one tenant's schedules: reads (or first writes) the tenant's start/stop switch and
 * watches it, publishes an overdue full-sync tick if asked and one was missed, and fires both
 * crons in the tenant's zone. Every replica derives the same ticks, and their message ids name the
 * tenant, so each tick of each tenant runs once.
 *
 * @example
 * const set = await startTenantSet({ orm, js, log, clock, tenantId: '1001', config, state,
 *   enabledByDefault: true, runOverdue: true });
 * await set.stop();
 */
export async function startTenantSet(options: TenantSetOptions): Promise<TenantSet> {
  const { orm, js, tenantId, config, state, clock } = options;
  const log = options.log.child({ tenant: tenantId });
  let enabled = (await state.initialize(options.enabledByDefault)).enabled;
  const watcher = await state.watch((value) => {
    if (value.enabled !== enabled)
      log.info({ enabled: value.enabled, by: value.updatedBy }, 'scheduler switched');
    enabled = value.enabled;
  });
  watcher.done.catch((err: unknown) => log.warn({ err }, 'scheduler state watch ended'));

  const publishTick = async (schedule: ScheduleName, tickAt: Date) => {
    const at = tickAt.toISOString();
    options.onTick?.({ tenant: tenantId, schedule, tickAt: at, enabled });
    if (!enabled) return;
    const message = tickMessage(tenantId, schedule, tickAt);
    try {
      const { duplicate } = await publish(js, message, { timeoutMs: 5_000 });
      log.debug({ schedule, tickAt: at, duplicate }, 'tick published');
      options.onPublished?.({ tenant: tenantId, schedule, tickAt: at, duplicate });
    } catch (err) {
      // Another replica may have published it; if none did, this tick is lost, the next one runs.
      log.warn({ err, schedule, tickAt: at }, 'tick not published');
    }
  };

  const controller = new AbortController();
  try {
    if (options.runOverdue && enabled) {
      const overdue = await overdueFullTick(orm.em.fork(), {
        tenantId,
        fullCron: config.fullCron,
        timezone: config.timezone,
        now: clock.now(),
      });
      if (overdue) {
        log.info({ tickAt: overdue.toISOString() }, 'overdue full sync');
        await publishTick('full', overdue);
      }
    }
  } catch (err) {
    watcher.stop();
    throw err;
  }

  const loops = schedules.map((schedule) =>
    runTickLoop({
      pattern: cronOf(config, schedule),
      timezone: config.timezone,
      clock,
      signal: controller.signal,
      log: log.child({ schedule }),
      onTick: (tickAt) => publishTick(schedule, tickAt),
    }),
  );

  return {
    tenantId,
    config,
    isEnabled: () => enabled,
    async stop() {
      controller.abort();
      await Promise.all(loops);
      watcher.stop();
    },
  };
}
