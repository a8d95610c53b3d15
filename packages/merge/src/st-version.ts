import { normalizeStTimestamp } from '@pricebook/contracts';

/** Where a local row keeps the ST versions it has taken in. */
export interface SeenStVersion {
  /** A `modifiedOn` as ST wrote it (the record in `data` or `base`), any ST spelling. */
  modifiedOn?: unknown;
  /** The row's `st_modified_on` column read back (ISO, microseconds). */
  column?: string | null;
}

const MICROSECOND_TICKS = 10n;

/** 100 ns ticks since the epoch of a canonical ST timestamp (`…SS.fffffffZ`). */
function ticks(canonical: string): bigint {
  return BigInt(Date.parse(`${canonical.slice(0, 23)}Z`)) * 10_000n + BigInt(canonical.slice(23, 27));
}

/**
 * Whether an ST version (`modifiedOn`, any ST spelling) is strictly older than the newest one a
 * row has taken in. An equal stamp is not older: ST stamps can tie, and the content hash tells
 * then. PostgreSQL rounds `st_modified_on` to the microsecond while ST stamps carry 100 ns ticks,
 * so against the column a version counts as older only when it is a whole microsecond or more
 * before it: the rounding can never make the very version the row holds, or a newer one within
 * the same microsecond, look older.
 *
 * @example
 * olderThanSeen('2025-01-01T00:00:00Z', { column: '2025-02-01T00:00:00.000000Z' }); // true
 */
export function olderThanSeen(stamp: string, seen: SeenStVersion): boolean {
  const incoming = normalizeStTimestamp(stamp);
  if (incoming === undefined) return false;
  const exact = typeof seen.modifiedOn === 'string' ? normalizeStTimestamp(seen.modifiedOn) : undefined;
  if (exact !== undefined && incoming < exact) return true;
  const column = seen.column ? normalizeStTimestamp(seen.column) : undefined;
  return column !== undefined && ticks(incoming) + MICROSECOND_TICKS <= ticks(column);
}
