import { z } from 'zod';

/**
 * The limits a value must keep to be stored: PostgreSQL refuses a number past a typed column's
 * precision, a NUL character in `text` or `jsonb`, a date outside its calendar; ServiceTitan
 * (.NET) refuses dates outside years 1–9999. Every schema that takes outside input uses these,
 * so a bad value is a clear validation error at the edge, never a database error (a 500, or a
 * message retried until it is dropped).
 *
 * Checks that look at text first bound its length and use no backtracking pattern, so refusing
 * a megabyte of digits costs a length comparison, not a regex run.
 */

/** Precision of the typed money and quantity columns (`numeric(14,4)`: price, cost, hours…). */
export const ST_DECIMAL_PRECISION = 14;

/** Decimal places every ST money or quantity value is rounded to (SQL Server `money` scale). */
export const ST_DECIMAL_SCALE = 4;

/**
 * Exclusive bound of a decimal's magnitude once rounded to {@link ST_DECIMAL_SCALE} places:
 * `numeric(14,4)` holds up to ±9,999,999,999.9999.
 */
export const ST_DECIMAL_LIMIT = 10 ** (ST_DECIMAL_PRECISION - ST_DECIMAL_SCALE);

/** Longest decimal accepted as text (`"12.50"`); a longer spelling is refused before parsing. */
export const ST_DECIMAL_TEXT_MAX_LENGTH = 40;

/** Why a decimal out of range is refused (shown to API clients and in rejected messages). */
export const decimalRangeMessage = `must be greater than -${ST_DECIMAL_LIMIT} and less than ${ST_DECIMAL_LIMIT}`;

/** Whether a (rounded) decimal fits the typed columns. */
export const isDecimalInRange = (value: number): boolean => Math.abs(value) < ST_DECIMAL_LIMIT;

/**
 * Largest ST id the engine carries: ids travel as JS numbers, so they stop at 2^53 − 1 (well
 * inside the `bigint` columns and ST's int64).
 */
export const ST_ID_MAX = Number.MAX_SAFE_INTEGER;

const stIdDigits = /^[1-9][0-9]*$/;
const stIdMaxDigits = String(ST_ID_MAX).length;

/**
 * An ST id written as text (`st:<id>` in a URL): a positive integer up to {@link ST_ID_MAX};
 * `undefined` for anything else.
 *
 * @example
 * parseStIdText('48213'); // 48213
 * parseStIdText('9999999999999999999'); // undefined (past ST_ID_MAX)
 */
export function parseStIdText(text: string): number | undefined {
  if (text.length > stIdMaxDigits || !stIdDigits.test(text)) return undefined;
  const value = Number(text);
  return value <= ST_ID_MAX ? value : undefined;
}

/** Earliest instant accepted: .NET's `DateTime.MinValue` (PostgreSQL has no year 0). */
export const DATE_MIN = '0001-01-01T00:00:00Z';
/** Latest instant accepted: .NET's `DateTime.MaxValue`. */
export const DATE_MAX = '9999-12-31T23:59:59.9999999Z';

const dateMinMs = Date.parse(DATE_MIN);
// Date keeps milliseconds: the last one of year 9999.
const dateMaxMs = Date.parse('9999-12-31T23:59:59.999Z');

/** Why a date out of range is refused. */
export const dateRangeMessage = 'must be between 0001-01-01 and 9999-12-31 (UTC)';

/**
 * Whether an ISO-8601 instant (any offset) falls in years 1–9999 UTC, the range both
 * PostgreSQL and ServiceTitan accept. Unparseable text is out of range.
 *
 * @example
 * isDateInRange('2025-12-06T02:00:00Z'); // true
 * isDateInRange('0000-01-01T00:00:00Z'); // false
 */
export function isDateInRange(value: string): boolean {
  const ms = Date.parse(value);
  return ms >= dateMinMs && ms <= dateMaxMs;
}

/** Why a string with a NUL character is refused. */
export const nulMessage = 'must not contain the NUL character (\\u0000)';

/** Why a string with half a surrogate pair is refused. */
export const surrogateMessage = 'must be well-formed Unicode (no lone surrogate such as \\ud800)';

/** Whether text holds a NUL character, which neither `text` nor `jsonb` can store. */
export const hasNul = (value: string): boolean => value.includes('\u0000');

// With the `u` flag a pair is one code point, so only half a pair matches; linear time.
const loneSurrogate = /\p{Cs}/u;

/**
 * Whether text can be stored as it is: no NUL, and no half of a surrogate pair (JSON carries
 * one as `\ud800`, which `jsonb` refuses).
 *
 * @example
 * isStorableText('Copper ½"'); // true
 * isStorableText('a\u0000b'); // false
 */
export const isStorableText = (value: string): boolean => !hasNul(value) && !loneSurrogate.test(value);

/**
 * A string PostgreSQL can store: no NUL character and no lone surrogate. Use it (with its own
 * bounds) for every string that comes from outside and may reach the database.
 *
 * @example
 * SafeText.max(200).parse('Copper 1/2"'); // 'Copper 1/2"'
 * SafeText.safeParse('a\u0000b').success; // false
 */
export const SafeText = z
  .string()
  .refine((value) => !hasNul(value), { message: nulMessage, abort: true })
  .refine((value) => !loneSurrogate.test(value), { message: surrogateMessage, abort: true });
export type SafeText = z.infer<typeof SafeText>;

/** Most rows one bulk edit (`POST /api/pricebook/{entity}/bulk`) may change, all or nothing. */
export const BULK_EDIT_MAX_ITEMS = 1000;

/**
 * Most audit rows a change-set may hold to be reverted in one request: a revert is one
 * transaction and its answer lists every row; a larger change-set (a whole first sync) is not
 * something to undo by a click.
 */
export const REVERT_MAX_CHANGES = 10_000;
