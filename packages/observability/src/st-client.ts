import type { StClientEvent, StClientEventListener } from '@pricebook/st-client';
import type { EngineMetrics } from './metrics';

/**
 * The st-client `onEvent` listener that counts requests by status, 429s and retries.
 *
 * @example
 * const st = new StClient({ ...stClientOptionsFromEnv(env), onEvent: stClientMetrics(metrics) });
 */
export function stClientMetrics(metrics: EngineMetrics): StClientEventListener {
  return (event: StClientEvent) => {
    if (event.type === 'response') {
      metrics.stRequests.inc({ status: String(event.status) });
      if (event.status === 429) metrics.stRateLimited.inc();
    } else if (event.type === 'retry') {
      metrics.stRetries.inc();
    }
  };
}
