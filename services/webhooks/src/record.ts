import type { EntityManager, Orm } from '@pricebook/db';
import { nextAttemptDelayMs } from '@pricebook/webhooks';
import { type AttemptFacts, logAttempt } from './attempt-log';
import type { Outcome } from './outcome';

/** A claimed delivery with what an attempt needs of its subscription. */
export interface Claimed {
  id: string;
  subscription_id: string;
  tenant_id: string;
  event_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: string | Date;
  url: string;
  secret: string;
}

export interface RecordSettings {
  orm: Orm;
  schedule: readonly number[];
  disableAfterMs: number;
}

/** How long a delivery whose secret cannot be opened waits before it is looked at again (no attempt is spent). */
const unreadableSecretWaitMs = 60_000;

/**
 * Records a delivery whose signing secret cannot be opened (keys missing or rotated away): an
 * operator's problem, not the receiver's, so no attempt is counted; it is tried again later.
 */
export async function recordUnreadableSecret(orm: Orm, row: Claimed, error: string): Promise<void> {
  await orm.em.fork().execute(
    `update pricebook_webhook_deliveries
        set last_error = ?, next_attempt_at = now() + make_interval(secs => ?)
      where id = ? and status = 'pending'`,
    [`the signing secret cannot be opened: ${error}`, unreadableSecretWaitMs / 1_000, row.id],
  );
}

const formatDuration = (ms: number) =>
  ms >= 86_400_000
    ? `${Math.round(ms / 86_400_000)} days`
    : ms >= 3_600_000
      ? `${Math.round(ms / 3_600_000)} hours`
      : `${Math.round(ms / 1_000)} seconds`;

/** Disables an active subscription with its reason; the reason when this call disabled it. */
async function disable(
  em: EntityManager,
  subscriptionId: string,
  reason: string,
): Promise<{ disabledReason?: string }> {
  const disabled = await em.execute<{ id: string }[]>(
    `update pricebook_webhook_subscriptions
        set status = 'disabled', disabled_reason = ?, disabled_at = now(), updated_at = now()
      where id = ? and status = 'active' returning id`,
    [reason, subscriptionId],
  );
  return disabled.length > 0 ? { disabledReason: reason } : {};
}

/**
 * Records one attempt in one transaction: the delivery's status, attempts, next attempt and last
 * answer, the attempt itself in the delivery's history, and its subscription's run of failures.
 * A success ends the run; 410 Gone disables the subscription; a subscription is also disabled
 * when every attempt has failed for `disableAfterMs`, or when a delivery runs out of attempts and
 * nothing succeeded since its event.
 * Disabling leaves its other deliveries pending (they go out once it is enabled again).
 * Returns why the subscription was disabled, if it was.
 */
export async function recordOutcome(
  settings: RecordSettings,
  row: Claimed,
  outcome: Outcome,
  at: AttemptFacts,
): Promise<{ disabledReason?: string }> {
  const status = outcome.kind === 'refused_url' ? null : outcome.status;
  const common = [row.attempts + 1, at.attemptedAt.toISOString(), status, at.ms];
  return settings.orm.em.fork().transactional(async (em) => {
    if (outcome.kind === 'succeeded') {
      await em.execute(
        `update pricebook_webhook_deliveries
            set status = 'succeeded', attempts = ?, last_attempt_at = ?, last_status_code = ?, last_response_ms = ?,
                last_error = null, next_attempt_at = null, delivered_at = now()
          where id = ? and status = 'pending'`,
        [...common, row.id],
      );
      await logAttempt(em, row, outcome, at, null);
      await em.execute(
        `update pricebook_webhook_subscriptions set failing_since = null, consecutive_failures = 0
          where id = ? and (failing_since is not null or consecutive_failures > 0)`,
        [row.subscription_id],
      );
      return {};
    }
    if (outcome.kind === 'gone') {
      const reason = `the receiver answered 410 Gone at ${at.attemptedAt.toISOString()}`;
      await em.execute(
        `update pricebook_webhook_deliveries
            set status = 'failed', attempts = ?, last_attempt_at = ?, last_status_code = ?, last_response_ms = ?,
                last_error = 'HTTP 410 Gone', next_attempt_at = null
          where id = ? and status = 'pending'`,
        [...common, row.id],
      );
      await logAttempt(em, row, outcome, at, null);
      return disable(em, row.subscription_id, reason);
    }
    const scheduled = nextAttemptDelayMs(settings.schedule, row.attempts + 1);
    const waitMs =
      scheduled === undefined
        ? undefined
        : Math.max(scheduled, (outcome.kind === 'failed' && outcome.retryAfterMs) || 0);
    const nextAttemptAt =
      waitMs === undefined ? null : new Date(at.attemptedAt.getTime() + at.ms + waitMs).toISOString();
    await em.execute(
      `update pricebook_webhook_deliveries
          set status = ?, attempts = ?, last_attempt_at = ?, last_status_code = ?, last_response_ms = ?,
              last_error = ?, next_attempt_at = ?
        where id = ? and status = 'pending'`,
      [waitMs === undefined ? 'failed' : 'pending', ...common, outcome.error, nextAttemptAt, row.id],
    );
    await logAttempt(em, row, outcome, at, nextAttemptAt);
    const [run] = await em.execute<{ failing_since: string | Date }[]>(
      `update pricebook_webhook_subscriptions
          set failing_since = coalesce(failing_since, ?), consecutive_failures = consecutive_failures + 1
        where id = ? returning failing_since`,
      [at.attemptedAt.toISOString(), row.subscription_id],
    );
    if (!run) return {};
    const failingSince = new Date(run.failing_since).getTime();
    const failingMs = at.attemptedAt.getTime() - failingSince;
    let reason: string | undefined;
    if (failingMs >= settings.disableAfterMs) {
      reason = `every attempt failed for ${formatDuration(failingMs)} (last: ${outcome.error})`;
    } else if (waitMs === undefined) {
      const [since] = await em.execute<{ n: number }[]>(
        `select count(*)::int as n from pricebook_webhook_deliveries
          where subscription_id = ? and delivered_at >= ?::timestamptz`,
        [row.subscription_id, new Date(row.created_at).toISOString()],
      );
      if ((since?.n ?? 0) === 0) {
        reason = `event ${row.event_id} ran out of attempts and no delivery succeeded since (last: ${outcome.error})`;
      }
    }
    if (!reason) return {};
    return disable(em, row.subscription_id, reason);
  });
}
