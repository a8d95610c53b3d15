import type { AcceptedType, ConsumerDefinition } from '@pricebook/contracts';
import {
  type BatchHandler,
  type ConsumerRunner,
  type RunConsumerOptions,
  runConsumer,
} from '@pricebook/messaging';
import type { JobContext } from '../jobs';

/** How one durable of a job reads, beyond what every job's durables share. */
export type JobConsumerOptions<C extends ConsumerDefinition> = Partial<
  Omit<RunConsumerOptions<C>, 'js' | 'log' | 'consumer' | 'handler' | 'onPoison' | 'metrics'>
>;

/**
 * Runs one durable of a job on the instance's shared pieces: its JetStream client, logger,
 * dead-letter record and metrics.
 *
 * @example
 * const runner = runJobConsumer(deps, consumers.pusher, createPushHandler(push), { batchSize: 1 });
 */
export function runJobConsumer<C extends ConsumerDefinition>(
  ctx: JobContext,
  consumer: C,
  handler: BatchHandler<AcceptedType<C>>,
  options: JobConsumerOptions<C> = {},
): ConsumerRunner {
  const { js, log, onPoison, metrics } = ctx;
  return runConsumer({ js, log, onPoison, metrics, consumer, handler, ...options });
}
