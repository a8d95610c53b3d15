import type { EntityManager } from '@pricebook/db';
import type { Outcome } from './outcome';
import type { Claimed } from './record';

/** Longest error text kept with an attempt: enough to read, not a receiver's essay. */
export const attemptErrorChars = 500;

/** What one attempt was, besides its outcome. */
export interface AttemptFacts {
  attemptedAt: Date;
  ms: number;
  /** The start of the response body (≤ 1 KB), when one came. */
  excerpt?: string | null | undefined;
}

/** An error trimmed for the attempt log; null for none. */
export function trimError(error: string | undefined): string | null {
  if (error === undefined) return null;
  return error.length > attemptErrorChars ? `${error.slice(0, attemptErrorChars - 1)}…` : error;
}

/**
 * Appends one attempt to its delivery's history, inside the transaction that records the
 * outcome on the delivery. Only while the delivery still exists (one deleted meanwhile leaves no
 * orphan); its tenant and subscription are copied from it so a tenant's purge finds the row.
 *
 * @example
 * await logAttempt(em, row, outcome, { attemptedAt, ms, excerpt }, nextAttemptAt);
 */
export async function logAttempt(
  em: EntityManager,
  row: Claimed,
  outcome: Outcome,
  facts: AttemptFacts,
  nextAttemptAt: string | null,
): Promise<void> {
  const status = outcome.kind === 'refused_url' ? null : outcome.status;
  const error = outcome.kind === 'failed' || outcome.kind === 'refused_url' ? outcome.error : undefined;
  // Honoured only when another attempt follows.
  const retryAfterMs =
    outcome.kind === 'failed' && nextAttemptAt !== null ? (outcome.retryAfterMs ?? null) : null;
  await em.execute(
    `insert into pricebook_webhook_attempts
       (delivery_id, subscription_id, tenant_id, attempt, attempted_at, outcome, status_code, duration_ms,
        error, response_excerpt, retry_after_ms, next_attempt_at)
     select d.id, d.subscription_id, d.tenant_id, ?, ?, ?, ?, ?, ?, ?, ?, ?
       from pricebook_webhook_deliveries d where d.id = ?`,
    [
      row.attempts + 1,
      facts.attemptedAt.toISOString(),
      outcome.kind,
      status,
      facts.ms,
      trimError(error ?? (outcome.kind === 'gone' ? 'HTTP 410 Gone' : undefined)),
      facts.excerpt ?? null,
      retryAfterMs,
      nextAttemptAt,
      row.id,
    ],
  );
}
