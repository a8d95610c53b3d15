import type { ConsumerRunner } from '@pricebook/messaging';
import type { ServicePart } from '@pricebook/service-kit';

/**
 * `count` consumer runners on one durable, as one part of the service: each holds one command
 * at a time, so a long sync holds one runner and the others go on taking commands. Stopping
 * stops them all at once (each gives back or finishes what it holds); one that ends unasked
 * ends the part, so the service stops and its supervisor restarts it.
 *
 * @example
 * const part = runnerPool(4, (signal) => runConsumer({ js, log, consumer, batchSize: 1, handler, signal }));
 */
export function runnerPool(count: number, start: (signal: AbortSignal) => ConsumerRunner): ServicePart {
  const stop = new AbortController();
  const runners = Array.from({ length: Math.max(1, count) }, () => start(stop.signal));
  return {
    stopped: Promise.race(runners.map((r) => r.stopped)),
    async stop() {
      stop.abort();
      await Promise.all(runners.map((r) => r.stopped));
    },
  };
}
