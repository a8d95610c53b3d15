import { z } from 'zod';
import {
  decimalRangeMessage,
  isDateInRange,
  isDecimalInRange,
  ST_DECIMAL_SCALE,
  ST_DECIMAL_TEXT_MAX_LENGTH,
} from '../limits';

/**
 * Scalar types of the ServiceTitan pricebook API and their canonical forms.
 *
 * Canonical forms exist so that the same ST value always becomes the same JSON, whatever
 * serializer quirk produced it: the engine hashes records to detect "unchanged", and a hash
 * that moved because `…38.28Z` became `…38.2800000Z` would cost a write, an audit row and an
 * event for nothing.
 */

/** Fractional-second digits of a canonical ST timestamp (.NET ticks are 100 ns). */
export const ST_TIMESTAMP_FRACTION_DIGITS = 7;

/** Longest timestamp spelling: `YYYY-MM-DDTHH:mm:ss.fffffff+hh:mm`. */
const timestampMaxLength = 33;

const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Normalises an ST timestamp to `YYYY-MM-DDTHH:mm:ss.fffffffZ` (UTC, exactly 7 fractional
 * digits), keeping its full precision. Accepts 0–7 fractional digits, `Z`, an explicit offset
 * (converted to UTC) or no zone at all (ST documents every timestamp as UTC). Returns
 * `undefined` for anything else, including impossible dates and instants outside years
 * 1–9999 UTC (see `isDateInRange`).
 *
 * @example
 * normalizeStTimestamp('2021-07-19T20:35:38.28Z'); // '2021-07-19T20:35:38.2800000Z'
 * normalizeStTimestamp('2021-07-19T22:35:38+02:00'); // '2021-07-19T20:35:38.0000000Z'
 */
export function normalizeStTimestamp(value: string): string | undefined {
  if (value.length > timestampMaxLength) return undefined;
  const m = timestampPattern.exec(value);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, fraction = '', zone = 'Z'] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const frac = fraction.padEnd(ST_TIMESTAMP_FRACTION_DIGITS, '0');
  let normalized: string;
  if (zone === 'Z' || zone === '+00:00' || zone === '-00:00') {
    normalized = `${ys}-${mos}-${ds}T${hs}:${mis}:${ss}.${frac}Z`;
  } else {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
    const local = new Date(0);
    local.setUTCFullYear(year, month - 1, day);
    local.setUTCHours(hour, minute, second);
    const utc = new Date(local.getTime() - offsetMinutes * 60_000);
    const utcYear = utc.getUTCFullYear();
    if (utcYear < 1 || utcYear > 9999) return undefined;
    const date = `${pad(utcYear, 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}`;
    const time = `${pad(utc.getUTCHours(), 2)}:${pad(utc.getUTCMinutes(), 2)}:${pad(utc.getUTCSeconds(), 2)}`;
    normalized = `${date}T${time}.${frac}Z`;
  }
  return isDateInRange(normalized) ? normalized : undefined;
}

/**
 * An ST `date-time`, parsed and normalised to the canonical 7-digit UTC form. Canonical
 * timestamps compare correctly as plain strings.
 *
 * @example
 * StTimestamp.parse('2021-07-19T20:35:38Z'); // '2021-07-19T20:35:38.0000000Z'
 */
export const StTimestamp = z.string().transform((value, ctx) => {
  const normalized = normalizeStTimestamp(value);
  if (normalized !== undefined) return normalized;
  const message =
    value.length > timestampMaxLength
      ? `not an ST timestamp: longer than ${timestampMaxLength} characters`
      : // Quoted as JSON so a control character in it stays visible and storable.
        `not an ST timestamp (ISO 8601, a real date in years 0001–9999 UTC): ${JSON.stringify(value)}`;
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});
export type StTimestamp = z.infer<typeof StTimestamp>;

/**
 * Orders two ST timestamps (either form; they are normalised first). Sub-millisecond digits
 * count, which `Date` would drop.
 *
 * @example
 * compareStTimestamps('2021-07-19T20:35:38.2876004Z', '2021-07-19T20:35:38.2876Z'); // 1
 */
export function compareStTimestamps(a: string, b: string): -1 | 0 | 1 {
  const na = normalizeStTimestamp(a);
  const nb = normalizeStTimestamp(b);
  if (na === undefined || nb === undefined) {
    throw new RangeError(`cannot compare invalid ST timestamp "${na === undefined ? a : b}"`);
  }
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * Milliseconds since the epoch of an ST timestamp; the digits below the millisecond are
 * truncated, so use {@link compareStTimestamps} to order timestamps.
 *
 * @example
 * stTimestampToMs('1970-01-01T00:00:01.0009999Z'); // 1000
 */
export function stTimestampToMs(value: string): number {
  const normalized = normalizeStTimestamp(value);
  if (normalized === undefined) throw new RangeError(`invalid ST timestamp "${value.slice(0, 40)}"`);
  return Date.parse(`${normalized.slice(0, 23)}Z`);
}

// Each digit can be matched one way only, so a long run of digits never backtracks.
const decimalString = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Why decimal text is refused; the length first, so a megabyte of digits never meets the pattern. */
function decimalTextProblem(text: string): string | undefined {
  if (text.length > ST_DECIMAL_TEXT_MAX_LENGTH) {
    return `decimal text must be at most ${ST_DECIMAL_TEXT_MAX_LENGTH} characters`;
  }
  return decimalString.test(text) ? undefined : 'must be a decimal number such as 12.50';
}

/** The rounded decimal a number or decimal text stands for, or why it is refused. */
function readDecimal(value: number | string): { value: number } | { problem: string } {
  const textProblem = typeof value === 'string' ? decimalTextProblem(value) : undefined;
  if (textProblem !== undefined) return { problem: textProblem };
  const normalized = normalizeStDecimal(Number(value));
  if (normalized === undefined) return { problem: 'decimal must be a finite number' };
  if (!isDecimalInRange(normalized)) return { problem: decimalRangeMessage };
  return { value: normalized };
}

/**
 * Rounds a decimal to {@link ST_DECIMAL_SCALE} places and turns `-0` into `0`. Rounding works
 * on the number's shortest decimal spelling (the JSON text ST sent), half away from zero, so
 * `12.34565` becomes `12.3457` although its binary value is a hair below; it is deterministic
 * and idempotent. Returns `undefined` for non-finite input.
 *
 * @example
 * normalizeStDecimal(12.3456789); // 12.3457
 * normalizeStDecimal(-0); // 0
 */
export function normalizeStDecimal(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (Number.isInteger(value)) return value === 0 ? 0 : value;
  const text = String(Math.abs(value));
  // A non-integer spelled with an exponent is below 1e-6: it rounds to zero.
  if (text.includes('e')) return 0;
  const dot = text.indexOf('.');
  if (text.length - dot - 1 <= ST_DECIMAL_SCALE) return value;
  let scaled = BigInt(text.slice(0, dot) + text.slice(dot + 1, dot + 1 + ST_DECIMAL_SCALE));
  if (text.charCodeAt(dot + 1 + ST_DECIMAL_SCALE) >= 53 /* '5' */) scaled += 1n;
  if (scaled === 0n) return 0;
  const digits = scaled.toString().padStart(ST_DECIMAL_SCALE + 1, '0');
  const cut = digits.length - ST_DECIMAL_SCALE;
  const rounded = Number(`${digits.slice(0, cut)}.${digits.slice(cut)}`);
  return value < 0 ? -rounded : rounded;
}

/**
 * An ST `number(decimal)` (money, hours, quantities): a finite JSON number, rounded to
 * {@link ST_DECIMAL_SCALE} places, never `-0`, and within the typed columns' `numeric(14,4)`
 * (see `ST_DECIMAL_LIMIT`). A decimal string such as `"12.50"` (the shape other ST APIs use
 * for money) is accepted and converted.
 *
 * @example
 * StDecimal.parse('12.50'); // 12.5
 * StDecimal.safeParse(1e11).success; // false: past numeric(14,4)
 */
export const StDecimal = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const read = readDecimal(value);
  if ('value' in read) return read.value;
  ctx.addIssue({ code: 'custom', message: read.problem });
  return z.NEVER;
});
export type StDecimal = z.infer<typeof StDecimal>;

/**
 * An ST `int64` id. Carried as a JS number: ids above 2^53 would lose digits, so they are
 * rejected (and reported) rather than silently corrupted: zod's `int()` stops at `ST_ID_MAX`.
 */
export const StId = z.number().int().nonnegative();
export type StId = z.infer<typeof StId>;

/** An ST `int32` (positions, warranty durations). */
export const StInt32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
export type StInt32 = z.infer<typeof StInt32>;

/**
 * A response field that ST may send as `null` or leave out: both become `null`, so a record
 * has the same shape (and content hash) whichever the server did.
 */
export const orNull = <T extends z.ZodType>(schema: T) => schema.nullable().default(null);
