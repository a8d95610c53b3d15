import { isStorableText } from '@pricebook/contracts';
import type { FieldLocation } from '../errors/handle-error';
import { fieldErrors } from '../errors/handle-error';

/** A timestamp as the pg driver hands it back (a string through MikroORM's parsers) → ISO 8601. */
export function iso(value: string | Date): string;
export function iso(value: string | Date | null): string | null;
export function iso(value: string | Date | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** A bigint or numeric column (a decimal string) → number; null stays null. */
export function num(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/**
 * Keyset cursors are opaque to clients: base64url of a JSON array of the sort key. The
 * timestamp part is the database's own microsecond text, so no row is skipped or repeated.
 *
 * @example
 * const c = encodeCursor(['2025-12-06T02:00:00.123456Z', id]);
 * decodeCursor(c, [cursorParts.timestamp, cursorParts.uuid], 'cursor'); // ['2025-12-06T02:00:00.123456Z', id]
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * One keyset page from rows fetched with `limit + 1` (the extra row tells whether another page
 * exists): the first `limit` rows, and the cursor after the last of them when there is more.
 *
 * @example
 * const { items, nextCursor } = keysetPage(rows, 50, (r) => [r.created_key, r.id]);
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  key: (row: R) => readonly string[],
): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

export function decodeCursor(
  value: string,
  parts: ReadonlyArray<(part: string) => boolean>,
  field: string,
  at: FieldLocation = 'query',
): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const isKey = (k: unknown): k is string[] =>
    Array.isArray(k) &&
    k.length === parts.length &&
    k.every((p, i) => typeof p === 'string' && parts[i]?.(p) === true);
  if (!isKey(key)) {
    throw fieldErrors([{ path: field, in: at, message: 'not a cursor this API handed out' }]);
  }
  return key;
}

/**
 * The keyset condition of a list sorted by `(created_at, id)`: rows before (`<`, newest first) or
 * after (`>`) the cursor's, with its checked parts as parameters. `field` names the cursor in errors.
 *
 * @example
 * const past = createdCursor(query.cursor, '<');
 * where.push(past.sql);
 * params.push(...past.params);
 */
export function createdCursor(
  cursor: string,
  op: '<' | '>',
  field = 'cursor',
): { sql: string; params: string[] } {
  return {
    sql: `(created_at, id) ${op} (?::timestamptz, ?::uuid)`,
    params: decodeCursor(cursor, [cursorParts.timestamp, cursorParts.uuid], field),
  };
}

/** SQL for a timestamp column as sortable UTC text with all six fractional digits. */
export const timestampKey = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** What each part of a cursor must look like before it reaches SQL. */
export const cursorParts = {
  // The round trip refuses dates the calendar lacks (Feb 30), which PostgreSQL would reject.
  timestamp: (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(s) &&
    !Number.isNaN(Date.parse(s)) &&
    new Date(s).toISOString().slice(0, 19) === s.slice(0, 19),
  // A bigserial value: a positive bigint, which PostgreSQL would refuse past 2^63 − 1.
  seq: (s: string) => /^[1-9][0-9]{0,18}$/.test(s) && BigInt(s) <= 9223372036854775807n,
  uuid: (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  text: (s: string) => s.length > 0 && s.length <= 300 && isStorableText(s),
};

/**
 * A PostgreSQL array literal of texts, each element quoted (the driver would spread a JavaScript
 * array into a list of parameters). Cast it in the SQL: `?::text[]`, `?::uuid[]`.
 *
 * @example
 * await em.execute('select * from t where id = any(?::uuid[])', [pgArray(ids)]);
 */
export const pgArray = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
