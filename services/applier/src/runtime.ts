import type { JetStreamClient } from '@nats-io/jetstream';
import type { Orm } from '@pricebook/db';
import { recordPoison } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { type EngineMetrics, stClientMetrics, syncDurations } from '@pricebook/observability';
import { startRelay } from '@pricebook/outbox';
import { TenantDirectory, TenantStClients, type TenantsEnv } from '@pricebook/tenants';
import { startCommands } from './commands/start';
import type { ApplierEnv } from './env';
import { type ApplierJob, applierJobs, type JobContext, type RunningJob } from './jobs';
import { type PipelineSettings, startPipeline } from './pipeline/start';
import type { PushSettings } from './write-back/from-env';
import { startWriteBack } from './write-back/start';

export interface ApplierRuntime {
  /** The jobs this instance runs. */
  jobs: readonly ApplierJob[];
  /** Stops intake, lets the batches in hand finish, then stops the relay. */
  stop(): Promise<void>;
  /**
   * Resolves when a job's consumer loop or the relay has ended. Unasked, the instance no longer
   * does all its work: the service kit then exits 1 so a supervisor starts it again.
   */
  readonly stopped: Promise<unknown>;
}

type RuntimeSettings = PipelineSettings &
  TenantsEnv &
  Pick<ApplierEnv, 'RELAY_BATCH_SIZE' | 'RELAY_CONCURRENCY' | 'RELAY_IDLE_MS'> &
  Partial<PushSettings> & {
    /** `APPLIER_JOBS`; all of them when absent. */
    APPLIER_JOBS?: readonly ApplierJob[];
  };

/**
 * Starts the applier's jobs (`APPLIER_JOBS`: pipeline, commands, write-back) on an open database
 * and NATS connection, and the outbox relay, which every instance runs. Provisioning is the caller's.
 *
 * @example
 * const runtime = startApplier({ orm, js, log, env });
 * process.once('SIGTERM', () => runtime.stop());
 */
export function startApplier(deps: {
  orm: Orm;
  js: JetStreamClient;
  log: Logger;
  env: RuntimeSettings;
  /** Counts records, settled messages and sync durations when given. */
  metrics?: EngineMetrics;
}): ApplierRuntime {
  const { orm, js, log, env, metrics } = deps;
  const jobs = applierJobs.filter((job) => (env.APPLIER_JOBS ?? applierJobs).includes(job));
  const ctx: JobContext = { orm, js, log, onPoison: recordPoison(orm), metrics };
  // Every tenant the directory knows is served. Its clients, one per tenant on that tenant's rate
  // budget, serve the jobs that talk to ServiceTitan: the write-back, and the fence confirming a
  // full sync's deletions by id. A tenant without credentials gets none (its push fails its sync).
  const tenants = new TenantDirectory(orm, env);
  const clients = new TenantStClients({
    tenants,
    orm,
    log,
    ...(metrics ? { onEvent: (tenantId: string) => stClientMetrics(metrics, tenantId) } : {}),
  });
  const starters: Record<ApplierJob, () => RunningJob> = {
    pipeline: () => startPipeline({ ...ctx, env, st: clients }),
    commands: () => startCommands({ ...ctx, tenants }),
    'write-back': () => startWriteBack({ ...ctx, env, clients }),
  };
  const running = jobs.map((job) => starters[job]());
  const relay = startRelay({
    orm,
    js,
    log,
    batchSize: env.RELAY_BATCH_SIZE,
    concurrency: env.RELAY_CONCURRENCY,
    idleMs: env.RELAY_IDLE_MS,
    onPublished: metrics && syncDurations(metrics),
  });
  log.info({ jobs }, 'applier jobs started');
  return {
    jobs,
    stopped: Promise.race([...running.map((job) => job.stopped), relay.stopped]),
    async stop() {
      await Promise.all(running.map((job) => job.stop()));
      // Last, so the events of the batches that just finished still go out.
      await relay.stop();
    },
  };
}
