import type { CreatedSync } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { publishNow } from '@pricebook/outbox';
import type { AppDeps } from '../context';

/**
 * Publishes a created sync's command at once and marks its outbox row (`publishNow`). Never
 * throws: when NATS (or the mark) fails, an outbox relay publishes the row later under the same
 * message id, and a double publish inside the duplicate window is dropped by JetStream.
 *
 * @example
 * const published = await dispatchCommand(deps, created, log);
 */
export async function dispatchCommand(
  deps: Pick<AppDeps, 'orm' | 'publish'>,
  created: CreatedSync,
  log: Logger,
): Promise<boolean> {
  const published = await publishNow(
    deps,
    created.command,
    created.outboxId,
    log.child({ syncLogId: created.syncLogId }),
  );
  if (published)
    log.info({ syncLogId: created.syncLogId, messageId: created.command.id }, 'sync command published');
  return published;
}
