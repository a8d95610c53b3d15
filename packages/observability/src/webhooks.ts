import { Counter, Gauge, Histogram } from 'prom-client';
import type { EngineMetrics } from './metrics';

/** How one delivery attempt ended. */
export type WebhookAttemptOutcome = 'succeeded' | 'failed' | 'gone' | 'refused_url';

/** The webhooks service's metrics, on the process's registry. */
export interface WebhookMetrics {
  /** `pricebook_webhook_attempts_total{outcome}`: delivery attempts by how they ended. */
  readonly attempts: Counter<'outcome'>;
  /** `pricebook_webhook_attempt_seconds`: how long receivers took to answer. */
  readonly attemptSeconds: Histogram;
  /** `pricebook_webhook_deliveries_pending`: deliveries waiting for an attempt (read on scrape). */
  readonly pending: Gauge;
  /** `pricebook_webhook_subscriptions_disabled_total{reason}`: subscriptions the service disabled. */
  readonly disabled: Counter<'reason'>;
}

/**
 * Registers the webhooks metrics; `pendingCount` is read on every scrape.
 *
 * @example
 * const m = webhookMetrics(metrics, () => countPending(orm));
 * m.attempts.inc({ outcome: 'succeeded' });
 */
export function webhookMetrics(metrics: EngineMetrics, pendingCount: () => Promise<number>): WebhookMetrics {
  const registers = [metrics.registry];
  const pending = new Gauge({
    name: 'pricebook_webhook_deliveries_pending',
    help: 'Webhook deliveries waiting for an attempt',
    registers,
  });
  metrics.onScrape(async () => pending.set(await pendingCount()));
  return {
    attempts: new Counter({
      name: 'pricebook_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    attemptSeconds: new Histogram({
      name: 'pricebook_webhook_attempt_seconds',
      help: 'How long webhook receivers took to answer',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    }),
    pending,
    disabled: new Counter({
      name: 'pricebook_webhook_subscriptions_disabled_total',
      help: 'Webhook subscriptions disabled by the service, by reason',
      labelNames: ['reason'],
      registers,
    }),
  };
}
