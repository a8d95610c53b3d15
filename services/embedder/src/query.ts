import type { Knex } from '@mikro-orm/postgresql';
import type { EntityManager } from '@pricebook/db';

/**
 * Runs a statement (`?` placeholders) with real bind parameters on the entity manager's
 * connection and transaction: arrays go as PostgreSQL arrays, and a batch of vectors is not
 * escaped into the SQL text (`em.execute` inlines every parameter).
 *
 * @example
 * const rows = await query<{ id: string }>(em, 'select id from pricebook_materials where id = any(?::uuid[])', [ids]);
 */
export async function query<T>(
  em: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  const result: unknown = await (trx ?? em.getKnex()).raw(text, [...params] as Knex.RawBinding[]);
  const rows = typeof result === 'object' && result !== null ? Reflect.get(result, 'rows') : undefined;
  if (!Array.isArray(rows)) throw new Error('the PostgreSQL driver returned no result rows');
  return rows as T[];
}
