import { z } from 'zod';
import { IsoDateTime } from '../messaging/envelope';
import { Page, PageQuery } from './page';

/**
 * How one attempt ended: `succeeded` (2xx), `gone` (410: the subscription is disabled), `failed`
 * (any other status, a network error or a timeout), `refused_url` (the URL no longer passes the
 * guard, so nothing was sent).
 */
export const webhookAttemptOutcomes = ['succeeded', 'gone', 'failed', 'refused_url'] as const;
export const WebhookAttemptOutcome = z.enum(webhookAttemptOutcomes);
export type WebhookAttemptOutcome = z.infer<typeof WebhookAttemptOutcome>;

/** Longest response body excerpt kept with an attempt, in bytes. */
export const webhookResponseExcerptBytes = 1_024;

const attemptExample = {
  id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
  deliveryId: 'd7e6f5a4-b3c2-4d1e-9f08-a1b2c3d4e5f6',
  attempt: 2,
  attemptedAt: '2026-12-06T15:00:05.120Z',
  outcome: 'failed',
  statusCode: 503,
  durationMs: 84,
  error: 'HTTP 503',
  responseExcerpt: '{"error":"maintenance"}',
  retryAfterMs: 300_000,
  nextAttemptAt: '2026-12-06T15:05:05.204Z',
} as const;

/** One attempt to deliver a delivery, as its receiver answered it. */
export const WebhookAttempt = z
  .object({
    id: z.guid(),
    deliveryId: z.guid(),
    attempt: z.number().int().meta({
      description: "The delivery's attempt count after this attempt (a replay starts it over at 1)",
    }),
    attemptedAt: IsoDateTime,
    outcome: WebhookAttemptOutcome,
    statusCode: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The receiver's HTTP status; null when none came" }),
    durationMs: z
      .number()
      .int()
      .meta({ description: 'From the URL check to the response headers (or the failure)' }),
    error: z.string().nullable().meta({ description: 'Why it failed, trimmed' }),
    responseExcerpt: z
      .string()
      .nullable()
      .meta({
        description: `At most ${webhookResponseExcerptBytes} bytes of the response body (never the whole of it)`,
      }),
    retryAfterMs: z.number().int().nullable().meta({
      description: 'The `Retry-After` (429 or 503) this attempt honoured, capped at one day',
    }),
    nextAttemptAt: IsoDateTime.nullable().meta({
      description: 'When the next attempt was scheduled; null if none',
    }),
  })
  .meta({ id: 'WebhookAttempt', example: attemptExample });
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

/** The query of `GET /api/webhooks/{id}/deliveries/{deliveryId}/attempts`: newest first. */
export const WebhookAttemptsQuery = PageQuery;
export type WebhookAttemptsQuery = z.infer<typeof WebhookAttemptsQuery>;

/** `GET /api/webhooks/{id}/deliveries/{deliveryId}/attempts`. */
export const WebhookAttemptList = z
  .object({ success: z.literal(true), attempts: z.array(WebhookAttempt), page: Page })
  .meta({
    id: 'WebhookAttemptList',
    example: { success: true, attempts: [attemptExample], page: { limit: 50, nextCursor: null } },
  });
export type WebhookAttemptList = z.infer<typeof WebhookAttemptList>;
