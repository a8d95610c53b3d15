import type { Message } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { markOutboxPublished } from './store';

export interface PublishNowDeps<M extends Message = Message> {
  orm: Orm;
  /** Publishes one message with its id as `Nats-Msg-Id` (the same id the relay would give it). */
  publish: (message: M) => Promise<void>;
}

/**
 * "Publish now, relay later": sends a message whose outbox row has just committed, then marks the
 * row published. Never throws: when NATS (or the mark) fails, the row stays for the outbox relay,
 * which sends it under the same message id, so a double publish inside the duplicate window is one
 * message. Returns whether the message reached the stream.
 *
 * @example
 * const sent = await publishNow(deps, created.command, created.outboxId, log);
 */
export async function publishNow<M extends Message>(
  deps: PublishNowDeps<M>,
  message: M,
  outboxId: string,
  log: Logger,
): Promise<boolean> {
  const fields = { type: message.type, messageId: message.id, outboxId };
  // One message per type ('sync command left to the outbox relay'), as operators search for it.
  const what = message.type.replace('.', ' ');
  try {
    await deps.publish(message);
  } catch (err) {
    log.warn({ ...fields, err }, `${what} left to the outbox relay`);
    return false;
  }
  try {
    await markOutboxPublished(deps.orm.em.fork(), [outboxId]);
  } catch (err) {
    log.warn({ ...fields, err }, `${what} published but not marked`);
  }
  return true;
}
