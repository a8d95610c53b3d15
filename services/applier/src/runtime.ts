import type { JetStreamClient } from '@nats-io/jetstream';
import { consumers } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { recordPoison } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { runConsumer } from '@pricebook/messaging';
import { type EngineMetrics, recordsApplied, stClientMetrics, syncDurations } from '@pricebook/observability';
import { createInboundHandler } from './commands/inbound/handler';
import { createResolveHandler } from './commands/resolve/handler';
import type { ApplierEnv } from './env';
import { createDecidedHandler } from './pipeline/decided/handler';
import { createFenceHandler } from './pipeline/fence/handler';
import { startWatchdog } from './pipeline/watchdog/watchdog';
import { startRelay } from './relay/relay';
import { type PushSettings, pushDepsFromEnv } from './write-back/from-env';
import { createPushHandler } from './write-back/handler';

export interface ApplierRuntime {
  /** Stops intake, lets the batches in hand finish, then stops the relay. */
  stop(): Promise<void>;
}

type RuntimeSettings = Pick<
  ApplierEnv,
  | 'ST_TENANT_ID'
  | 'SYNC_MASS_DELETE_MAX_SHARE'
  | 'APPLIER_BATCH_SIZE'
  | 'APPLIER_DECIDED_CONCURRENCY'
  | 'APPLIER_LINGER_MS'
  | 'APPLIER_FENCE_CONCURRENCY'
  | 'APPLIER_PROGRESS_INTERVAL_MS'
  | 'RELAY_BATCH_SIZE'
  | 'RELAY_CONCURRENCY'
  | 'RELAY_IDLE_MS'
  | 'WATCHDOG_STALL_MS'
  | 'WATCHDOG_INTERVAL_MS'
> &
  Partial<PushSettings>;

/**
 * Starts the applier's loops on an open database and NATS connection: the decided, fence,
 * resolve, inbound and push consumers, the outbox relay and the sync watchdog. Provisioning is the caller's.
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
  const onPoison = recordPoison(orm);
  const handler = createDecidedHandler({
    orm,
    js,
    tenantId: env.ST_TENANT_ID,
    progressIntervalMs: env.APPLIER_PROGRESS_INTERVAL_MS,
    onApplied: metrics && recordsApplied(metrics),
  });
  // Several pulls of the same durable, as replicas would run them: one batch is fetched and parsed
  // while another is in the database.
  const decided = Array.from({ length: env.APPLIER_DECIDED_CONCURRENCY }, () =>
    runConsumer({
      js,
      log,
      consumer: consumers.applier,
      batchSize: env.APPLIER_BATCH_SIZE,
      lingerMs: env.APPLIER_LINGER_MS,
      onPoison,
      handler,
      metrics,
    }),
  );
  const pushDeps = pushDepsFromEnv(orm, env, log, metrics && stClientMetrics(metrics));
  const fence = runConsumer({
    js,
    log,
    consumer: consumers.fence,
    onPoison,
    metrics,
    handler: createFenceHandler({
      orm,
      js,
      // The write-back client also confirms a full sync's deletions by id before the sweep.
      st: pushDeps.st,
      tenantId: env.ST_TENANT_ID,
      maxDeleteShare: env.SYNC_MASS_DELETE_MAX_SHARE,
      concurrency: env.APPLIER_FENCE_CONCURRENCY,
    }),
  });
  const resolver = runConsumer({
    js,
    log,
    consumer: consumers.resolver,
    onPoison,
    metrics,
    handler: createResolveHandler({ orm, tenantId: env.ST_TENANT_ID }),
  });
  const inbound = runConsumer({
    js,
    log,
    consumer: consumers.inbound,
    onPoison,
    metrics,
    handler: createInboundHandler({ orm, tenantId: env.ST_TENANT_ID }),
  });
  const pusher = runConsumer({
    js,
    log,
    consumer: consumers.pusher,
    batchSize: 1,
    onPoison,
    metrics,
    handler: createPushHandler(pushDeps),
  });
  const relay = startRelay({
    orm,
    js,
    log,
    batchSize: env.RELAY_BATCH_SIZE,
    concurrency: env.RELAY_CONCURRENCY,
    idleMs: env.RELAY_IDLE_MS,
    onPublished: metrics && syncDurations(metrics),
  });
  const watchdog = startWatchdog({
    orm,
    tenantId: env.ST_TENANT_ID,
    log,
    stallMs: env.WATCHDOG_STALL_MS,
    intervalMs: env.WATCHDOG_INTERVAL_MS,
  });
  return {
    async stop() {
      await watchdog.stop();
      await Promise.all([
        ...decided.map((r) => r.stop()),
        fence.stop(),
        resolver.stop(),
        inbound.stop(),
        pusher.stop(),
      ]);
      // Last, so the events of the batches that just finished still go out.
      await relay.stop();
    },
  };
}
