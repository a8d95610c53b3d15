import { baseEnv, databasePoolMax, envBoolean, envInt, healthPort } from '@pricebook/config';
import { tenantsEnvFields } from '@pricebook/tenants';
import { defaultRetryScheduleMs, parseRetrySchedule } from '@pricebook/webhooks';
import { z } from 'zod';

const DAY = 86_400_000;

const retrySchedule = z
  .string()
  .optional()
  .transform((value, ctx): readonly number[] => {
    if (value === undefined || value.trim() === '') return defaultRetryScheduleMs;
    const schedule = parseRetrySchedule(value);
    if (!schedule) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected comma-separated waits in milliseconds, e.g. 0,5000,300000',
      });
      return z.NEVER;
    }
    return schedule;
  });

/**
 * The webhooks service's environment: PostgreSQL, NATS (its own `webhooks` user), the keys that
 * open the subscriptions' signing secrets, and how deliveries are tried.
 *
 * @example
 * const env = loadConfig(webhooksEnv);
 */
export const webhooksEnv = baseEnv.extend({
  /** The same keys as the API's: they open the signing secrets it sealed. */
  TENANT_SECRETS_KEYS: tenantsEnvFields.TENANT_SECRETS_KEYS,
  /** Allow `http` receivers and private addresses (development and tests only). */
  WEBHOOKS_ALLOW_PRIVATE_URLS: envBoolean(false),
  /** Waits before each attempt in ms, the first from the event (default: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  WEBHOOKS_RETRY_SCHEDULE_MS: retrySchedule,
  /** A subscription whose attempts have all failed for this long is disabled (default 5 days). */
  WEBHOOKS_DISABLE_AFTER_MS: envInt(5 * DAY, 1_000),
  /** How long a receiver has to answer one attempt. */
  WEBHOOKS_TIMEOUT_MS: envInt(15_000, 100, 60_000),
  /** Attempts in flight at once in this replica. */
  WEBHOOKS_CONCURRENCY: envInt(16, 1, 256),
  /** How often the dispatcher looks for due deliveries when it found none. */
  WEBHOOKS_POLL_MS: envInt(1_000, 10, 60_000),
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9105),
});
export type WebhooksEnv = z.infer<typeof webhooksEnv>;
