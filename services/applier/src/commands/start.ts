import { consumers } from '@pricebook/contracts';
import { runConsumer } from '@pricebook/messaging';
import type { JobContext, RunningJob } from '../jobs';
import { createInboundHandler } from './inbound/handler';
import { createResolveHandler } from './resolve/handler';

/**
 * The commands job: a person's conflict resolutions (`applier-resolver`) and other systems'
 * edits (`applier-inbound`), each applied as local edits.
 *
 * @example
 * const commands = startCommands({ orm, js, log, tenantId: env.ST_TENANT_ID, onPoison });
 */
export function startCommands(
  deps: JobContext & {
    tenantId: string;
  },
): RunningJob {
  const { orm, js, log, tenantId, onPoison, metrics } = deps;
  const runners = [
    runConsumer({
      js,
      log,
      consumer: consumers.resolver,
      onPoison,
      metrics,
      handler: createResolveHandler({ orm, tenantId }),
    }),
    runConsumer({
      js,
      log,
      consumer: consumers.inbound,
      onPoison,
      metrics,
      handler: createInboundHandler({ orm, tenantId }),
    }),
  ];
  return {
    stopped: Promise.race(runners.map((r) => r.stopped)),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
