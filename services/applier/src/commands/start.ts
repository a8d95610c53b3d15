import { consumers } from '@pricebook/contracts';
import type { JobContext, RunningJob } from '../jobs';
import { runJobConsumer } from '../shared/job-consumer';
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
  const { orm, tenantId } = deps;
  const runners = [
    runJobConsumer(deps, consumers.resolver, createResolveHandler({ orm, tenantId })),
    runJobConsumer(deps, consumers.inbound, createInboundHandler({ orm, tenantId })),
  ];
  return {
    stopped: Promise.race(runners.map((r) => r.stopped)),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
