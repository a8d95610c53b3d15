import { consumers } from '@pricebook/contracts';
import type { ConsumerRunner } from '@pricebook/messaging';
import { startSandbox } from '@pricebook/testing';
import { singleTenantClients } from '../shared/tenant-st';
import {
  type Harness,
  type Stoppable,
  sandboxClient,
  tenant,
  testConsumer,
  useHarness,
  type World,
} from '../test-support';
import { createDecidedHandler } from './decided/handler';
import { createFenceHandler } from './fence/handler';

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
    createDecidedHandler({ orm: h.orm, js: h.js }),
    batchSize === undefined ? {} : { batchSize },
  );
}

export interface PipelineWorldOptions {
  /** The decided consumer's batch size (the runner's default otherwise). */
  batchSize?: number;
  /** Also run the fence consumer; `st` gives it a sandbox to confirm deletions by id. */
  fence?: { st: boolean };
}

/** The pipeline's world: decisions (and fences) applied as the applier applies them. */
export interface PipelineWorld extends World {
  /** Waits until the applier settled every decision. */
  applied(): Promise<void>;
}

/**
 * Registers a test file's hooks around the pipeline: a harness of its own running the decided
 * consumer (and the fence consumer), every test starting from empty tables with nothing left
 * for the comparator.
 *
 * @example
 * const h = usePipelineWorld({ fence: { st: true } });
 */
export function usePipelineWorld(options: PipelineWorldOptions = {}): PipelineWorld {
  const world = useHarness(
    async (h) => {
      const started: Stoppable[] = [decidedConsumer(h, options.batchSize)];
      if (options.fence) started.push(...(await fenceConsumer(h, options.fence.st)));
      return started;
    },
    { drainComparator: true },
  );
  return Object.assign(world, { applied: () => world.settled(consumers.applier) });
}

/** The fence consumer, with short waits between tries so a fence that came early returns soon. */
async function fenceConsumer(h: Harness, withSt: boolean): Promise<Stoppable[]> {
  // ServiceTitan has none of the rows the tests seed: every unlisted row is confirmed gone by id.
  const st = withSt ? await startSandbox({ tenantId: tenant }) : undefined;
  const handler = createFenceHandler({
    orm: h.orm,
    js: h.js,
    ...(st ? { st: singleTenantClients(tenant, sandboxClient(st)) } : {}),
    maxDeleteShare: 0.5,
    waitMs: 300,
    pollMs: 50,
  });
  const runner = testConsumer(h, consumers.fence, handler, {
    retryPolicy: () => ({ maxDeliveries: 200, backoffMs: [100] }),
  });
  return st ? [runner, st] : [runner];
}
