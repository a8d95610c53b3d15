import { consumers } from '@pricebook/contracts';
import type { TenantDirectory } from '@pricebook/tenants';
import type { JobContext, RunningJob } from '../jobs';
import { runJobConsumer } from '../shared/job-consumer';
import { createInboundHandler } from './inbound/handler';
import { createResolveHandler } from './resolve/handler';

/**
 * The commands job: a person's conflict resolutions (`applier-resolver`) and other systems'
 * edits (`applier-inbound`), each applied as local edits of the command's tenant.
 *
 * @example
 * const commands = startCommands({ orm, js, log, tenants, onPoison });
 */
export function startCommands(
  deps: JobContext & {
    /** Which tenants exist (other systems' edits for any other are refused). */
    tenants: Pick<TenantDirectory, 'get'>;
  },
): RunningJob {
  const { orm, tenants } = deps;
  const runners = [
    runJobConsumer(deps, consumers.resolver, createResolveHandler({ orm })),
    runJobConsumer(deps, consumers.inbound, createInboundHandler({ orm, tenants })),
  ];
  return {
    stopped: Promise.race(runners.map((r) => r.stopped)),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
