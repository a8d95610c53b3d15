import type { CreatedSync } from '@pricebook/db';
import { markOutboxPublished } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { AppDeps } from '../context';

/**
 * Publishes a created sync's command at once and marks its outbox row. Never throws: when NATS
 * (or the mark) fails, the outbox relay publishes the row later under the same message id, and a
 * double publish inside the duplicate window is dropped by JetStream.
 *
 * @example
 * const published = await dispatchCommand(deps, created, log);
 */
export async function dispatchCommand(
  deps: Pick<AppDeps, 'orm' | 'publish'>,
  created: CreatedSync,
  log: Logger,
): Promise<boolean> {
  const fields = { syncLogId: created.syncLogId, messageId: created.command.id, outboxId: created.outboxId };
  try {
    await deps.publish(created.command);
  } catch (err) {
    log.warn({ ...fields, err }, 'sync command left to the outbox relay');
    return false;
  }
  try {
    await markOutboxPublished(deps.orm.em.fork(), [created.outboxId]);
  } catch (err) {
    log.warn({ ...fields, err }, 'sync command published but not marked');
  }
  log.info(fields, 'sync command published');
  return true;
}
