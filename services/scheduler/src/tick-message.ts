import { createMessage, type Message, messageIds, type ScheduleName } from '@pricebook/contracts';

/**
 * The command one scheduler tick publishes. Its id is `tick:<tenant>:<schedule>:<tick ISO>`, the
 * same on every replica, so JetStream keeps one copy and the tick runs once however many replicas
 * fire. The tenant is part of it: the stream drops repeated ids whatever their subject, so two
 * tenants on the same cron would otherwise lose each other's ticks.
 *
 * @example
 * const m = tickMessage('1001', 'full', new Date('2025-12-06T02:00:00Z'));
 * m.id; // 'tick:1001:full:2025-12-06T02:00:00.000Z'
 */
export function tickMessage(
  tenant: string,
  schedule: ScheduleName,
  tickAt: Date,
): Message<'scheduler.command'> {
  const id = messageIds.schedulerTick(`${tenant}:${schedule}`, tickAt);
  return createMessage('scheduler.command', {
    id,
    tenant,
    correlationId: id,
    occurredAt: tickAt.toISOString(),
    data: { action: 'tick', schedule, tickAt: tickAt.toISOString(), requestedBy: `scheduler:${schedule}` },
  });
}
