import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { webhookMetrics } from './webhooks';

describe('webhook metrics', () => {
  it('counts attempts by outcome and reads the pending backlog on every scrape', async () => {
    const metrics = createMetrics({ service: 'webhooks' });
    let pending = 3;
    const m = webhookMetrics(metrics, async () => pending);
    m.attempts.inc({ outcome: 'succeeded' });
    m.attempts.inc({ outcome: 'failed' }, 2);
    m.disabled.inc({ reason: 'gone' });
    let text = await metrics.scrape();
    expect(text).toContain('pricebook_webhook_attempts_total{outcome="succeeded",service="webhooks"} 1');
    expect(text).toContain('pricebook_webhook_attempts_total{outcome="failed",service="webhooks"} 2');
    expect(text).toContain(
      'pricebook_webhook_subscriptions_disabled_total{reason="gone",service="webhooks"} 1',
    );
    expect(text).toContain('pricebook_webhook_deliveries_pending{service="webhooks"} 3');
    pending = 0;
    text = await metrics.scrape();
    expect(text).toContain('pricebook_webhook_deliveries_pending{service="webhooks"} 0');
  });
});
