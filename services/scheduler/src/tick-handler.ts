import type { JetStreamClient } from '@nats-io/jetstream';
import type { Message, ScheduleName, Tenant, TenantStatus } from '@pricebook/contracts';
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
  /** Each tenant's start/stop switch. */
  stateOf: (tenantId: string) => Promise<SchedulerStateStore>;
  /** The tenant a command is about (a `TenantDirectory`'s `get`). */
  tenantOf: (tenantId: string) => Promise<Tenant | undefined>;
  /** The switch's value until someone writes it (SYNC_SCHEDULER_ENABLED). */
  enabledByDefault: boolean;
  runStaleAfterMs: number;
  /** Told about every tick's outcome (tests and metrics). */
  onOutcome?: (outcome: TickOutcome) => void;
}

export type TickOutcome = { tenant: string; schedule: ScheduleName; tickAt: string } & (
  | { kind: 'created'; syncLogId: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'stopped' }
  /** The tenant was paused or removed after the tick was published. */
  | { kind: 'inactive'; status: TenantStatus }
);

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

async function runTick(
  deps: TickHandlerDeps,
  message: Message<'scheduler.command'>,
  tenant: Tenant,
  log: Logger,
) {
  const { schedule, tickAt } = message.data;
  if (schedule === undefined || tickAt === undefined) {
    throw new AppError('bad_message', 'a tick needs schedule and tickAt');
  }
  const { tenantId } = tenant;
  const triggeredBy = `scheduler:${schedule}`;
  const tlog = log.child({ tenant: tenantId, schedule, tickAt });
  const base = { tenant: tenantId, schedule, tickAt };
  // Both checked again here: a pause or a stop may land between a replica's publish and this delivery.
  if (tenant.status !== 'active') {
    tlog.info({ status: tenant.status }, `tick dropped: tenant ${tenant.status}`);
    deps.onOutcome?.({ ...base, kind: 'inactive', status: tenant.status });
    return;
  }
  const state = await deps.stateOf(tenantId);
  if (!(await state.isEnabled(deps.enabledByDefault))) {
    tlog.info('tick dropped: scheduler stopped');
    deps.onOutcome?.({ ...base, kind: 'stopped' });
    return;
  }
  try {
    const created = await createSync(deps.orm.em.fork(), {
      tenantId,
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
    deps.onOutcome?.({ ...base, kind: 'created', syncLogId: created.syncLogId });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    await recordSkippedTick(deps.orm.em.fork(), {
      tenantId,
      schedule,
      tickAt,
      reason: err.message,
      triggeredBy,
    });
    tlog.info({ reason: err.message, running: err.details?.runningSyncLogId }, 'scheduled sync skipped');
    deps.onOutcome?.({ ...base, kind: 'skipped', reason: err.message });
  }
}

/**
 * The `scheduler` consumer's handler, for every tenant of the deployment: a `tick` becomes a sync
 * of the message's tenant (`createSync`, triggered by `scheduler:<schedule>`), or a recorded skip
 * when a sync of that kind still runs, or nothing when the tenant was paused or removed meanwhile;
 * `start` and `stop` (from other systems) flip the tenant's switch as the API does. A command
 * about a tenant the deployment does not know is refused (`bad_message`).
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.scheduler, handler: tickHandler(deps) });
 */
export function tickHandler(deps: TickHandlerDeps): BatchHandler<'scheduler.command'> {
  return handleEach({
    'scheduler.command': async (message, ctx) => {
      const tenant = await deps.tenantOf(message.tenant);
      if (!tenant) {
        throw new AppError('bad_message', `tenant ${message.tenant} is not one this deployment serves`);
      }
      const { action, requestedBy } = message.data;
      if (action === 'tick') return runTick(deps, message, tenant, ctx.log);
      const state = await deps.stateOf(tenant.tenantId);
      const value = await state.setEnabled(action === 'start', requestedBy);
      ctx.log.info(
        { tenant: tenant.tenantId, enabled: value.enabled, requestedBy },
        'scheduler switched by command',
      );
    },
  });
}
