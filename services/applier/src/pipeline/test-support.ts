import { consumers } from '@pricebook/contracts';
import type { ConsumerRunner } from '@pricebook/messaging';
import { type Harness, tenant, testConsumer } from '../test-support';
import { createDecidedHandler } from './decided/handler';

/**
 * The decided consumer of the pipeline on a test harness.
 *
 * @example
 * useHarness((started) => [decidedConsumer(started)]);
 */
export function decidedConsumer(h: Harness, batchSize?: number): ConsumerRunner {
  return testConsumer(
    h,
    consumers.applier,
    createDecidedHandler({ orm: h.orm, js: h.js, tenantId: tenant }),
    batchSize === undefined ? {} : { batchSize },
  );
}
