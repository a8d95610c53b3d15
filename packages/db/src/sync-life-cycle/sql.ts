import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { OutboxInsert } from './events';

interface PgResult {
  rows: unknown[];
}

function isPgResult(value: unknown): value is PgResult {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'rows'));
}

/**
 * Runs one statement with real bind parameters on the entity manager's connection (and its
 * transaction, if any): the counters move once per applied batch, and `em.execute` would escape
 * every parameter into the SQL text in JavaScript first.
 */
export async function query<T>(em: EntityManager, text: string, params: readonly unknown[]): Promise<T[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  const result: unknown = await (trx ?? em.getKnex()).raw(text, [...params] as Knex.RawBinding[]);
  if (!isPgResult(result)) throw new Error('the PostgreSQL driver returned no result rows');
  return result.rows as T[];
}

/**
 * Writes outbox rows in one statement, in the given order (their `seq` follows it): the one
 * insert of every event the engine writes itself (the triggers write the row-change events).
 *
 * @example
 * await insertOutbox(em, conflictEvents);
 */
export async function insertOutbox(em: EntityManager, rows: readonly OutboxInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await query(
    em,
    `insert into pricebook_outbox (tenant_id, subject, event_type, payload, correlation_id, causation_id)
     select r.tenant_id, r.subject, r.event_type, r.payload, r.correlation_id, r.causation_id
       from jsonb_to_recordset(?::jsonb)
         as r(tenant_id bigint, subject text, event_type text, payload jsonb, correlation_id uuid, causation_id text)`,
    [JSON.stringify(rows)],
  );
}
