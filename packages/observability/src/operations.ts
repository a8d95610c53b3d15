import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type ConsumerDefinition, deploymentNames } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { createMetrics, type EngineMetrics } from './metrics';
import {
  checkReadiness,
  consumersCheck,
  databaseCheck,
  intakeCheck,
  natsCheck,
  type ReadinessCheck,
  type ReadinessReport,
} from './readiness';
import { type HealthServer, startHealthServer } from './server';

export interface OperationsOptions {
  service: string;
  /** `HEALTH_PORT`; `0` serves nothing (the metrics are still counted). */
  port: number;
  host?: string;
  log: Logger;
  nc: NatsConnection;
  /** When given, readiness needs the database to answer `select 1`. */
  orm?: Orm;
  /** The durables this process pulls from: readiness needs them to exist; their pending counts are gauges. */
  consumers?: readonly ConsumerDefinition[];
  /** Read `pricebook_outbox_backlog` from the database on scrape (the applier, which relays it). */
  outboxBacklog?: boolean;
}

export interface Operations {
  readonly metrics: EngineMetrics;
  /** The health server, unless the port was `0`. */
  readonly server: HealthServer | undefined;
  /** Runs the readiness checks (what `/readyz` answers). */
  ready(): Promise<ReadinessReport>;
  /** Stops the health server. */
  close(): Promise<void>;
}

/** Unpublished rows; the partial index `pricebook_outbox_unpublished_idx` makes this cheap. */
export async function countOutboxBacklog(orm: Orm): Promise<number> {
  const rows = await orm.em
    .fork()
    .execute<Array<{ n: string }>>(
      'select count(*)::text as n from pricebook_outbox where published_at is null',
    );
  return Number(rows[0]?.n ?? 0);
}

function watchConsumers(metrics: EngineMetrics, jsm: JetStreamManager, defs: readonly ConsumerDefinition[]) {
  metrics.onScrape(async () => {
    await Promise.all(
      defs.map(async (def) => {
        const info = await jsm.consumers.info(
          deploymentNames().stream(def.stream),
          deploymentNames().durable(def.name),
        );
        metrics.consumerPending.set({ consumer: def.name }, info.num_pending);
        metrics.consumerAckPending.set({ consumer: def.name }, info.num_ack_pending);
      }),
    );
  });
}

/**
 * Metrics and health of one service in one call: the registry, the scrape-time gauges (consumer
 * pending counts, outbox backlog), the readiness checks and, unless `port` is 0, the HTTP server.
 *
 * @example
 * const ops = await startOperations({ service: 'comparator', port: env.HEALTH_PORT, log, nc, orm,
 *   consumers: [consumers.comparator] });
 * runConsumer({ ..., metrics: ops.metrics });
 * // on shutdown
 * await ops.close();
 */
export async function startOperations(options: OperationsOptions): Promise<Operations> {
  const metrics = createMetrics({ service: options.service });
  const jsm = await jetstreamManager(options.nc);
  const defs = options.consumers ?? [];
  if (defs.length > 0) watchConsumers(metrics, jsm, defs);
  const { orm } = options;
  if (orm && options.outboxBacklog) {
    metrics.onScrape(async () => metrics.outboxBacklog.set(await countOutboxBacklog(orm)));
  }
  const checks: Record<string, ReadinessCheck> = { nats: natsCheck(options.nc) };
  if (orm) checks.database = databaseCheck(orm);
  if (defs.length > 0) {
    const exist = consumersCheck(jsm, defs);
    const intake = intakeCheck(() => metrics.waitingConsumers());
    checks.consumers = async () => {
      await exist();
      await intake();
    };
  }
  const ready = () => checkReadiness(checks);
  const server =
    options.port === 0
      ? undefined
      : await startHealthServer({ port: options.port, host: options.host, metrics, ready, log: options.log });
  return {
    metrics,
    server,
    ready,
    close: async () => server?.close(),
  };
}
