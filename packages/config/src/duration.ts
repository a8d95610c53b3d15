import { z } from 'zod';

const unitMs = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const durationPattern = /^(\d+)\s*([smhdw])$/;

/**
 * Milliseconds of a readable duration: a whole number and one unit, `s`, `m`, `h`, `d` or `w`
 * (`90s`, `15m`, `12h`, `7d`, `2w`). `undefined` for anything else, a bare number included: a
 * retention of `30` could mean seconds or days, and guessing wrong deletes data.
 *
 * @example
 * parseDuration('7d'); // 604_800_000
 */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return undefined;
  const ms = Number(amount) * unitMs[unit as keyof typeof unitMs];
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/**
 * A retention period for an env schema: a {@link parseDuration} duration in milliseconds, or
 * `null` for `off` (keep for ever).
 *
 * @example
 * export const schedulerEnv = baseEnv.extend({ OUTBOX_RETENTION: envRetention('7d') });
 */
export const envRetention = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): number | null => {
      const text = v === undefined || v.trim() === '' ? fallback : v;
      if (text.trim().toLowerCase() === 'off') return null;
      const ms = parseDuration(text);
      if (ms !== undefined) return ms;
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 7d, 12h or 30m, or off; got "${text}"`,
      });
      return z.NEVER;
    });

/** How a retention reads in logs and docs: `7d`, or `off`. */
export function formatRetention(ms: number | null): string {
  if (ms === null) return 'off';
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (ms % unitMs[unit] === 0) return `${ms / unitMs[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
