import type { WebhookAttempt, WebhookAttemptOutcome, WebhookAttemptsQuery } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { cursorParts, decodeCursor, iso, keysetPage, timestampKey } from '../queries/values';

interface AttemptRow {
  id: string;
  delivery_id: string;
  attempt: number;
  attempted_at: string | Date;
  outcome: WebhookAttemptOutcome;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
  retry_after_ms: number | null;
  next_attempt_at: string | Date | null;
  attempted_key: string;
}

const attemptColumns = `id, delivery_id, attempt, attempted_at, outcome, status_code, duration_ms, error,
  response_excerpt, retry_after_ms, next_attempt_at, ${timestampKey('attempted_at')} as attempted_key`;

function attemptOf(r: AttemptRow): WebhookAttempt {
  return {
    id: r.id,
    deliveryId: r.delivery_id,
    attempt: r.attempt,
    attemptedAt: iso(r.attempted_at),
    outcome: r.outcome,
    statusCode: r.status_code,
    durationMs: r.duration_ms,
    error: r.error,
    responseExcerpt: r.response_excerpt,
    retryAfterMs: r.retry_after_ms,
    nextAttemptAt: iso(r.next_attempt_at),
  };
}

/**
 * One page, newest first by `(attempted_at, id)`, of the attempts of one delivery of one of the
 * tenant's subscriptions. A delivery of another subscription or tenant is not found (404), never
 * an empty page, so its existence does not leak.
 *
 * @example
 * const { attempts, nextCursor } = await listAttempts(em, '1001', webhookId, deliveryId, { limit: 50 });
 */
export async function listAttempts(
  em: EntityManager,
  tenantId: string,
  id: string,
  deliveryId: string,
  query: WebhookAttemptsQuery,
): Promise<{ attempts: WebhookAttempt[]; nextCursor: string | null }> {
  const owned = await em.execute<{ id: string }[]>(
    `select d.id from pricebook_webhook_deliveries d
       join pricebook_webhook_subscriptions s on s.id = d.subscription_id
      where s.tenant_id = ? and s.id = ? and d.id = ? and d.tenant_id = ?`,
    [tenantId, id, deliveryId, tenantId],
  );
  if (owned.length === 0) throw new AppError('not_found', `no delivery ${deliveryId} of webhook ${id}`);
  const where = ['delivery_id = ?', 'tenant_id = ?'];
  const params: unknown[] = [deliveryId, tenantId];
  if (query.cursor) {
    where.push('(attempted_at, id) < (?::timestamptz, ?::uuid)');
    params.push(...decodeCursor(query.cursor, [cursorParts.timestamp, cursorParts.uuid], 'cursor'));
  }
  const rows = await em.execute<AttemptRow[]>(
    `select ${attemptColumns} from pricebook_webhook_attempts
      where ${where.join(' and ')} order by attempted_at desc, id desc limit ?`,
    [...params, query.limit + 1],
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.attempted_key, r.id]);
  return { attempts: items.map(attemptOf), nextCursor };
}
