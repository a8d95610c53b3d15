import { consumers } from '@pricebook/contracts';
import type { ConsumerRunner } from '@pricebook/messaging';
import { recordsApplied } from '@pricebook/observability';
import type { ApplierEnv } from '../env';
import type { JobContext, RunningJob } from '../jobs';
import { runJobConsumer } from '../shared/job-consumer';
import type { StClients } from '../shared/tenant-st';
import { createDecidedHandler } from './decided/handler';
import type { StLookup } from './fence/confirm';
import { createFenceHandler } from './fence/handler';
import { startWatchdog } from './watchdog/watchdog';

export type PipelineSettings = Pick<
  ApplierEnv,
  | 'SYNC_MASS_DELETE_MAX_SHARE'
  | 'APPLIER_BATCH_SIZE'
  | 'APPLIER_DECIDED_CONCURRENCY'
  | 'APPLIER_LINGER_MS'
  | 'APPLIER_FENCE_CONCURRENCY'
  | 'APPLIER_PROGRESS_INTERVAL_MS'
  | 'WATCHDOG_STALL_MS'
  | 'WATCHDOG_INTERVAL_MS'
>;

/**
 * The pipeline job: applies decisions (`applier`), closes entities and ends syncs at their
 * fences (`applier-fence`), and fails syncs that can no longer finish (the watchdog).
 *
 * @example
 * const pipeline = startPipeline({ orm, js, log, env, onPoison, st: clients });
 */
export function startPipeline(
  deps: JobContext & {
    env: PipelineSettings;
    /** Each tenant's client, to confirm a full sync's deletions by id; without it such a sync fails. */
    st: StClients<StLookup> | undefined;
  },
): RunningJob {
  const { orm, js, log, env, metrics } = deps;
  const handler = createDecidedHandler({
    orm,
    js,
    progressIntervalMs: env.APPLIER_PROGRESS_INTERVAL_MS,
    onApplied: metrics && recordsApplied(metrics),
  });
  // Several pulls of the same durable, as replicas would run them: one batch is fetched and parsed
  // while another is in the database.
  const runners: ConsumerRunner[] = Array.from({ length: env.APPLIER_DECIDED_CONCURRENCY }, () =>
    runJobConsumer(deps, consumers.applier, handler, {
      batchSize: env.APPLIER_BATCH_SIZE,
      lingerMs: env.APPLIER_LINGER_MS,
    }),
  );
  runners.push(
    runJobConsumer(
      deps,
      consumers.fence,
      createFenceHandler({
        orm,
        js,
        st: deps.st,
        maxDeleteShare: env.SYNC_MASS_DELETE_MAX_SHARE,
        concurrency: env.APPLIER_FENCE_CONCURRENCY,
      }),
    ),
  );
  const watchdog = startWatchdog({
    orm,
    log,
    stallMs: env.WATCHDOG_STALL_MS,
    intervalMs: env.WATCHDOG_INTERVAL_MS,
  });
  return {
    stopped: Promise.race(runners.map((r) => r.stopped)),
    async stop() {
      await watchdog.stop();
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
