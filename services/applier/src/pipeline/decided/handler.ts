import type { JetStreamClient } from '@nats-io/jetstream';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { BatchFailures, BatchHandler, Delivery } from '@pricebook/messaging';
import { applyBatch, type BatchResult } from './batch';
import { decisionProblem } from './classify';
import { isDataRefusal, quarantineRefused } from './refused';
import { sendBack } from './send-back';
import { createThrottle } from './throttle';

type Decided = Delivery<'record.decided'>;

export interface DecidedHandlerOptions {
  orm: Orm;
  js: JetStreamClient;
  /** Minimum time between two `sync.progress` events of one sync (default 2000 ms). */
  progressIntervalMs?: number;
  /** Counts records applied, called once the batch has committed. */
  onApplied?: (applied: BatchResult['applied']) => void;
}

/**
 * The batch handler of the `applier` durable: one transaction per batch, of any tenants' decisions
 * (each applied as its message's tenant), then the stale decisions go back to the comparator. A
 * decision whose sync belongs to another tenant, or one too incomplete to apply, is failed on its
 * own (terminated and recorded); a batch the database refuses is failed
 * as a whole so the runner retries its decisions one by one, and the one it still refuses is
 * quarantined rather than lost.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.applier, batchSize: 1000,
 *   handler: createDecidedHandler({ orm, js }) });
 */
export function createDecidedHandler(options: DecidedHandlerOptions): BatchHandler<'record.decided'> {
  const deps = {
    orm: options.orm,
    progress: createThrottle(options.progressIntervalMs ?? 2000),
  };
  return async (batch, { log }): Promise<BatchFailures<'record.decided'>> => {
    const failures = new Map<Decided, unknown>();
    const accepted: Decided[] = [];
    for (const d of batch) {
      const problem = decisionProblem(d.message.data);
      if (problem) failures.set(d, new AppError('bad_message', problem));
      else accepted.push(d);
    }
    if (accepted.length === 0) return failures;

    let result: BatchResult;
    try {
      result = await applyBatch(deps, accepted, log);
    } catch (error) {
      const [only] = accepted;
      if (!isDataRefusal(error)) throw error;
      if (accepted.length > 1 || !only) {
        throw new AppError('validation_failed', 'the database refused a decision of this batch', {
          cause: error,
        });
      }
      log.warn(
        { err: error, eventId: only.message.id, syncId: only.message.correlationId },
        'decision refused by the database; record quarantined',
      );
      await quarantineRefused(deps.orm, only, error);
      return failures;
    }
    for (const [d, e] of result.failures) failures.set(d, e);
    options.onApplied?.(result.applied);
    if (result.stale.length > 0) {
      log.info({ count: result.stale.length }, 'stale decisions sent back to the comparator');
      for (const [d, e] of await sendBack(options.js, result.stale)) failures.set(d, e);
    }
    return failures;
  };
}
