import type { MessageType } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { run } from './query';

/** An event or command the engine writes itself (the triggers write the row-change events). */
export interface OutboxInsert {
  tenant_id: string;
  subject: string;
  event_type: MessageType;
  payload: Record<string, unknown>;
  /** The sync log id. */
  correlation_id: string | null;
  /** The id of the message that caused it. */
  causation_id: string | null;
}

/**
 * Writes outbox rows in one statement, in the given order (their `seq` follows it).
 *
 * @example
 * await insertOutbox(em, [syncEvent('started', row)]);
 */
export async function insertOutbox(em: EntityManager, rows: readonly OutboxInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await run(
    em,
    `insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id, causation_id)
     select r.tenant_id, r.subject, r.event_type, r.payload, r.correlation_id, r.causation_id
       from jsonb_to_recordset(?::jsonb)
         as r(tenant_id bigint, subject text, event_type text, payload jsonb, correlation_id uuid, causation_id text)`,
    [JSON.stringify(rows)],
  );
}
