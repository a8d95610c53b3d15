import type { Knex } from '@mikro-orm/postgresql';
import type { EntityManager } from '@pricebook/db';

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}

function isPgResult(value: unknown): value is PgResult {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'rows'));
}

/**
 * Sends one statement with real bind parameters on the entity manager's connection (and its
 * transaction, if any). `em.execute` inlines every parameter into the SQL text, escaping it in
 * JavaScript first; for a batch's megabyte of JSON that costs more than the statement itself.
 */
async function send(em: EntityManager, text: string, params: readonly unknown[]): Promise<PgResult> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  const result: unknown = await (trx ?? em.getKnex()).raw(text, [...params] as Knex.RawBinding[]);
  if (!isPgResult(result)) throw new Error('the PostgreSQL driver returned no result rows');
  return result;
}

/**
 * Runs a statement (`?` placeholders) and returns its rows.
 *
 * @example
 * const rows = await query<{ id: string }>(em, 'select id from pricebook_materials where st_id = ?', [42]);
 */
export async function query<T>(
  em: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  return (await send(em, text, params)).rows as T[];
}

/**
 * Runs a statement (`?` placeholders) and returns how many rows it affected.
 *
 * @example
 * const deleted = await run(em, 'delete from pricebook_sync_items where sync_log_id = ?', [id]);
 */
export async function run(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<number> {
  return (await send(em, text, params)).rowCount ?? 0;
}

const statementTexts = new Map<string, string>();

/**
 * A statement's text, built once per `key` (say, per table and option), so every batch sends the
 * same text and the building costs nothing after the first.
 *
 * @example
 * const text = statementText(`rewrite:${entity}`, () => `update ${entityTables[entity]} …`);
 */
export function statementText(key: string, build: () => string): string {
  let text = statementTexts.get(key);
  if (text === undefined) {
    text = build();
    statementTexts.set(key, text);
  }
  return text;
}
