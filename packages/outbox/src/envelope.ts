import {
  catalog,
  isMessageType,
  type Message,
  messageIds,
  messageSchema,
  messageSubject,
  streams,
} from '@pricebook/contracts';
import { recordEventData } from '@pricebook/db';
import type { OutboxEntry } from './store';

export type OutboxMessage = { ok: true; message: Message } | { ok: false; reason: string };

/**
 * The message id of an outbox row. Events use the row id (DESIGN.md). A sync command uses the id
 * every publisher of it derives (`sync:<syncLogId>`), so the API's own publish right after its
 * commit and this relay's catch-up publish are one message to JetStream, not two syncs.
 */
function messageIdOf(entry: OutboxEntry): string {
  const syncLogId = entry.payload.syncLogId;
  if (entry.eventType === 'sync.command' && typeof syncLogId === 'string')
    return messageIds.syncCommand(syncLogId);
  const checkId = entry.payload.checkId;
  if (entry.eventType === 'drift.command' && typeof checkId === 'string')
    return messageIds.driftCheck(checkId);
  // The API publishes a resolve command itself under this id right after its commit.
  const conflictId = entry.payload.conflictId;
  if (entry.eventType === 'resolve.command' && typeof conflictId === 'string')
    return messageIds.resolveCommand({ conflictId, outboxId: entry.id });
  return messageIds.event(entry.id);
}

/**
 * The message data of an outbox row: a row that points at an audit row announces that change, built
 * by `recordEventData`; any other row (commands, sync events, and `record.*` rows written before
 * the `events-from-audit` migration) carries its data whole.
 */
function dataOf(entry: OutboxEntry): { ok: true; data: unknown } | { ok: false; reason: string } {
  if (entry.changeId === null) return { ok: true, data: entry.payload };
  if (entry.change === null) return { ok: false, reason: `audit row ${entry.changeId} is gone` };
  return { ok: true, data: recordEventData(entry.change) };
}

/**
 * Builds the catalog envelope of an outbox row and validates it, including that the row's subject
 * is the one the catalog gives the message. A row that fails is reported, never thrown, so one bad
 * row cannot stop the relay.
 *
 * @example
 * const built = outboxMessage(entry);
 * if (!built.ok) deadLetter(entry, built.reason);
 */
export function outboxMessage(entry: OutboxEntry): OutboxMessage {
  if (!isMessageType(entry.eventType)) return { ok: false, reason: `unknown event type ${entry.eventType}` };
  const data = dataOf(entry);
  if (!data.ok) return data;
  const candidate = {
    id: messageIdOf(entry),
    type: entry.eventType,
    version: 1,
    occurredAt: entry.createdAt.toISOString(),
    tenant: entry.tenantId,
    // A local edit has no sync: the event is its own correlation.
    correlationId: entry.correlationId ?? entry.id,
    causationId: entry.causationId,
    data: data.data,
  };
  const parsed = messageSchema(entry.eventType).safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: `invalid ${entry.eventType}: ${issues}` };
  }
  const subject = messageSubject(parsed.data);
  if (subject !== entry.subject) {
    return { ok: false, reason: `subject ${entry.subject} is not the catalog's ${subject}` };
  }
  // The stream would refuse it on every try, and the relay would never get past it.
  const size = Buffer.byteLength(JSON.stringify(parsed.data));
  const limit = streams[catalog[entry.eventType].stream].maxMsgSize;
  if (size > limit) return { ok: false, reason: `message of ${size} bytes exceeds the stream's ${limit}` };
  return { ok: true, message: parsed.data };
}
