import type { JetStreamClient } from '@nats-io/jetstream';
import type { Message, ScheduleName } from '@pricebook/contracts';
import { createSync, type Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { type BatchHandler, handleEach, publish } from '@pricebook/messaging';
import { publishNow } from '@pricebook/outbox';
import type { SchedulerStateStore } from '@pricebook/schedule';
import { recordSkippedTick } from './record-skip';

export interface TickHandlerDeps {
  orm: Orm;
  js: JetStreamClient;
  state: SchedulerStateStore;
  tenantId: string;
  /** The switch's value until someone writes it (SYNC_SCHEDULER_ENABLED). */
  enabledByDefault: boolean;
  runStaleAfterMs: number;
  /** Told about every tick's outcome (tests and metrics). */
  onOutcome?: (outcome: TickOutcome) => void;
}

export type TickOutcome =
  | { kind: 'created'; schedule: ScheduleName; tickAt: string; syncLogId: string }
  | { kind: 'skipped'; schedule: ScheduleName; tickAt: string; reason: string }
  | { kind: 'stopped'; schedule: ScheduleName; tickAt: string };

/** A command not acknowledged by then is left to the outbox relay. */
const publishTimeoutMs = 5_000;

/** Publishes the sync's command now; on failure the outbox row stays for a relay (same message id). */
async function publishCommand(
  deps: TickHandlerDeps,
  command: Message<'sync.command'>,
  outboxId: string,
  log: Logger,
) {
  await publishNow(
    {
      orm: deps.orm,
      publish: async (message) => {
        await publish(deps.js, message, { timeoutMs: publishTimeoutMs });
      },
    },
    command,
    outboxId,
    log,
  );
}

async function runTick(deps: TickHandlerDeps, message: Message<'scheduler.command'>, log: Logger) {
  const { schedule, tickAt } = message.data;
  if (schedule === undefined || tickAt === undefined) {
    throw new AppError('bad_message', 'a tick needs schedule and tickAt');
  }
  const triggeredBy = `scheduler:${schedule}`;
  const tlog = log.child({ schedule, tickAt });
  // Checked again here: a stop may land between a replica's publish and this delivery.
  if (!(await deps.state.isEnabled(deps.enabledByDefault))) {
    tlog.info('tick dropped: scheduler stopped');
    deps.onOutcome?.({ kind: 'stopped', schedule, tickAt });
    return;
  }
  try {
    const created = await createSync(deps.orm.em.fork(), {
      tenantId: deps.tenantId,
      syncType: schedule,
      triggeredBy,
      staleAfterMs: deps.runStaleAfterMs,
    });
    tlog.info({ syncLogId: created.syncLogId }, 'scheduled sync created');
    await publishCommand(
      deps,
      created.command,
      created.outboxId,
      tlog.child({ syncLogId: created.syncLogId }),
    );
    deps.onOutcome?.({ kind: 'created', schedule, tickAt, syncLogId: created.syncLogId });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    await recordSkippedTick(deps.orm.em.fork(), {
      tenantId: deps.tenantId,
      schedule,
      tickAt,
      reason: err.message,
      triggeredBy,
    });
    tlog.info({ reason: err.message, running: err.details?.runningSyncLogId }, 'scheduled sync skipped');
    deps.onOutcome?.({ kind: 'skipped', schedule, tickAt, reason: err.message });
  }
}

/**
 * The `scheduler` consumer's handler: a `tick` becomes a sync (`createSync`, triggered by
 * `scheduler:<schedule>`), or a recorded skip when a sync of that kind still runs; `start` and
 * `stop` (from other systems) flip the shared switch as the API does.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.scheduler, handler: tickHandler(deps) });
 */
export function tickHandler(deps: TickHandlerDeps): BatchHandler<'scheduler.command'> {
  return handleEach({
    'scheduler.command': async (message, ctx) => {
      if (message.tenant !== deps.tenantId) {
        throw new AppError(
          'bad_message',
          `tenant ${message.tenant} is not this deployment's (${deps.tenantId})`,
        );
      }
      const { action, requestedBy } = message.data;
      if (action === 'tick') return runTick(deps, message, ctx.log);
      const value = await deps.state.setEnabled(action === 'start', requestedBy);
      ctx.log.info({ enabled: value.enabled, requestedBy }, 'scheduler switched by command');
    },
  });
}
