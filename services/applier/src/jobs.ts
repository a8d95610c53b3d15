import type { JetStreamClient } from '@nats-io/jetstream';
import { type ConsumerDefinition, consumers } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { PoisonRecord } from '@pricebook/messaging';
import type { EngineMetrics } from '@pricebook/observability';

/**
 * The applier's jobs. One deployable runs them all by default; an operator can split them over
 * instances with `APPLIER_JOBS` (e.g. write-back, which alone needs ServiceTitan credentials,
 * on its own).
 */
export const applierJobs = ['pipeline', 'commands', 'write-back'] as const;
export type ApplierJob = (typeof applierJobs)[number];

/** The durable consumers each job reads (what the health check watches for it). */
export const jobConsumers: Record<ApplierJob, readonly ConsumerDefinition[]> = {
  pipeline: [consumers.applier, consumers.fence],
  commands: [consumers.resolver, consumers.inbound],
  'write-back': [consumers.pusher],
};

/**
 * The consumers an instance running `jobs` reads, for its health and metrics.
 *
 * @example
 * startOperations({ …, consumers: applierConsumers(env.APPLIER_JOBS) });
 */
export function applierConsumers(jobs: readonly ApplierJob[] = applierJobs): ConsumerDefinition[] {
  return applierJobs.filter((job) => jobs.includes(job)).flatMap((job) => jobConsumers[job]);
}

/** A started job: stops its intake and lets the work in hand finish. */
export interface RunningJob {
  stop(): Promise<void>;
  /** Resolves when one of the job's loops has ended (asked to, or dead: the instance must go). */
  readonly stopped: Promise<unknown>;
}

/** What every job starts from: the open connections and the instance's shared pieces. */
export interface JobContext {
  orm: Orm;
  js: JetStreamClient;
  log: Logger;
  /** Records a terminated message (the dead-letter table). */
  onPoison: (record: PoisonRecord) => Promise<void>;
  /** Counts records, settled messages and sync durations when given. */
  metrics?: EngineMetrics | undefined;
}
