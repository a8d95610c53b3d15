import { envInt, envRetention } from '@pricebook/config';
import { cronProblem } from '@pricebook/schedule';
import { z } from 'zod';
import type { Retentions } from './run';

/** A cron expression, or `off` (`null`): no housekeeping runs in this process. */
const cronOrOff = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): string | null => {
      const pattern = v === undefined || v.trim() === '' ? fallback : v.trim();
      if (pattern.toLowerCase() === 'off') return null;
      const problem = cronProblem(pattern, 'UTC');
      if (problem === undefined) return pattern;
      ctx.addIssue({ code: 'custom', message: `not a cron expression or off: ${problem}` });
      return z.NEVER;
    });

/**
 * The housekeeping settings of the scheduler's environment. Each retention is a duration (`7d`,
 * `12h`) or `off`, kept for ever. At 17 past each hour by default, away from the syncs' ticks on the hour.
 *
 * @example
 * export const schedulerEnv = baseEnv.extend({ ...housekeepingFields });
 */
export const housekeepingFields = {
  HOUSEKEEPING_CRON: cronOrOff('17 * * * *'),
  HOUSEKEEPING_BATCH_SIZE: envInt(1000, 1, 50_000),
  /** Published outbox rows: the events are in `PRICEBOOK_EVENTS`; this is the operator's look back. */
  OUTBOX_RETENTION: envRetention('7d'),
  /** Dead letters and rejections nobody redrove. */
  DEAD_LETTER_RETENTION: envRetention('30d'),
  /** ServiceTitan records that failed validation (a still-broken one is quarantined again by the next sync). */
  QUARANTINE_RETENTION: envRetention('30d'),
  /** Ended syncs and their ledgers, unless a kept audit row, conflict or quarantined record points at them. */
  SYNC_LOG_RETENTION: envRetention('180d'),
  /** The audit trail: kept for ever unless set; each record's newest change always stays. */
  AUDIT_RETENTION: envRetention('off'),
  /** Webhook deliveries that succeeded or failed for good (pending ones stay until they do). */
  WEBHOOK_DELIVERY_RETENTION: envRetention('30d'),
};

/** The retentions of a parsed environment. */
export function retentionsOf(env: {
  OUTBOX_RETENTION: number | null;
  DEAD_LETTER_RETENTION: number | null;
  QUARANTINE_RETENTION: number | null;
  SYNC_LOG_RETENTION: number | null;
  AUDIT_RETENTION: number | null;
  WEBHOOK_DELIVERY_RETENTION: number | null;
}): Retentions {
  return {
    outbox: env.OUTBOX_RETENTION,
    deadLetters: env.DEAD_LETTER_RETENTION,
    quarantine: env.QUARANTINE_RETENTION,
    syncLogs: env.SYNC_LOG_RETENTION,
    audit: env.AUDIT_RETENTION,
    webhookDeliveries: env.WEBHOOK_DELIVERY_RETENTION,
  };
}
