import { createHash } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { createMessage, type Message, messageIds, type Tenant } from '@pricebook/contracts';
import type { Logger } from '@pricebook/logger';
import { publish } from '@pricebook/messaging';
import type { ServicePart } from '@pricebook/service-kit';
import { type Clock, systemClock } from './clock';
import { runTickLoop } from './tick-loop';

/**
 * The check id of one tenant's timed drift check: a UUID-shaped digest of the tenant and the tick,
 * the same on every replica, so their commands are one JetStream message and one report.
 *
 * @example
 * driftCheckId('1001', new Date('2026-12-07T03:30:00Z')); // '4f1c…-…'
 */
export function driftCheckId(tenantId: string, tickAt: Date): string {
  const hex = createHash('sha256').update(`drift:${tenantId}:${tickAt.toISOString()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The timed drift check of one tenant at one tick. */
export function driftTick(tenantId: string, tickAt: Date): Message<'drift.command'> {
  const checkId = driftCheckId(tenantId, tickAt);
  return createMessage('drift.command', {
    id: messageIds.driftCheck(checkId),
    tenant: tenantId,
    correlationId: checkId,
    causationId: null,
    occurredAt: tickAt.toISOString(),
    data: { checkId, trigger: 'schedule', requestedBy: 'scheduler:drift' },
  });
}

export interface DriftChecksOptions {
  js: JetStreamClient;
  log: Logger;
  /** The deployment's tenants (a `TenantDirectory`'s `list`). */
  tenants: () => Promise<Tenant[]>;
  /** DRIFT_CRON; the part is not started without one. */
  cron: string;
  timezone: string;
  clock?: Clock;
}

/**
 * Sends every active tenant a drift check at each tick of DRIFT_CRON. Read-only checks, so the
 * syncs' start/stop switch does not hold them; a paused or removed tenant gets none. Every
 * replica sends the same ids, so a tick is one check per tenant however many replicas run.
 *
 * @example
 * const part = startDriftChecks({ js, log, tenants: () => directory.list(), cron: '30 3 * * *', timezone: 'UTC' });
 */
export function startDriftChecks(options: DriftChecksOptions): ServicePart {
  const stop = new AbortController();
  const log = options.log.child({ component: 'drift-checks' });
  const stopped = runTickLoop({
    pattern: options.cron,
    timezone: options.timezone,
    clock: options.clock ?? systemClock,
    signal: stop.signal,
    log,
    onTick: async (tickAt) => {
      try {
        const active = (await options.tenants()).filter((t) => t.status === 'active');
        for (const tenant of active) await publish(options.js, driftTick(tenant.tenantId, tickAt));
        log.info({ tickAt: tickAt.toISOString(), tenants: active.length }, 'drift checks sent');
      } catch (err) {
        // The next tick tries again; a report older than DRIFT_STALE_AFTER_MS shows as stale meanwhile.
        log.warn({ err, tickAt: tickAt.toISOString() }, 'drift checks not sent');
      }
    },
  });
  return {
    stopped,
    async stop() {
      stop.abort();
      await stopped;
    },
  };
}
