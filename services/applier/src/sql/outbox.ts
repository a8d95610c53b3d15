import type { EntityManager, OutboxInsert } from '@pricebook/db';
import { run } from './query';

/** The one shape of an outbox row the engine writes itself, owned by the sync life cycle. */
export type { OutboxInsert };

/**
 * Writes outbox rows in one statement, in the given order (their `seq` follows it).
 *
 * @example
 * await insertOutbox(em, conflictEvents);
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
