import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import {
  ConfigError,
  loadConfig,
  type NatsEnv,
  natsAuthOf,
  type RuntimeEnv,
  withRenamedVariables,
} from '@pricebook/config';
import { type ConsumerDefinition, useDeployment } from '@pricebook/contracts';
import { createOrm, type Orm } from '@pricebook/db';
import { createLogger, type Logger } from '@pricebook/logger';
import { connectNats, inboxPrefixOf, type NatsUser, natsUsers } from '@pricebook/messaging';
import {
  createMetrics,
  type EngineMetrics,
  type Operations,
  startOperations,
} from '@pricebook/observability';
import type { z } from 'zod';
import type { ServiceParts } from './part';
import { stopOnSignals } from './shutdown';

export interface NatsSpec {
  /** Keep retrying the first connect instead of failing fast. */
  waitOnFirstConnect?: boolean;
  /** Anything else nats.js accepts, applied last. */
  options?: Partial<NodeConnectionOptions>;
}

export interface HealthSpec {
  /** The durables this process pulls from: readiness needs them; their pending counts are gauges. */
  consumers?: readonly ConsumerDefinition[];
  /** Read the outbox backlog on scrape (the process that relays it). */
  outboxBacklog?: boolean;
  /** Readiness needs the database to answer (default: when the service has one). */
  database?: boolean;
}

/** What a service's env schema must give for the kit to open the database, NATS and the health port. */
export interface DatabaseSettings {
  DATABASE_URL: string;
  DATABASE_POOL_MAX: number;
}
export interface HealthSettings {
  HEALTH_PORT: number;
}

type On<T> = [T] extends [false | undefined] ? false : true;

export type ServiceEnv<D, N, H> = RuntimeEnv &
  (On<D> extends true ? DatabaseSettings : unknown) &
  (On<N> extends true ? NatsEnv : unknown) &
  (On<H> extends true ? HealthSettings : unknown);

/** What the service's `start` gets: its env and logger, and what the kit opened for it. */
export type ServiceContext<E, D, N> = { env: E; log: Logger; metrics: EngineMetrics } & (On<D> extends true
  ? { orm: Orm }
  : unknown) &
  (On<N> extends true ? { nc: NatsConnection; js: JetStreamClient } : unknown);

export interface ServiceSpec<E, D, N, H> {
  /** The process's name: logger, NATS connection and inbox, `application_name`, metrics. */
  name: string;
  /** The env schema (validated at boot; the process exits 1 naming every bad variable). */
  env: z.ZodType<E>;
  /** Open PostgreSQL from `DATABASE_URL` with a pool of `DATABASE_POOL_MAX`. */
  database?: D;
  /** Connect to NATS (`NATS_URL` and its login). The streams are provisioned by a separate command. */
  nats?: N;
  /** Serve `/metrics`, `/healthz` and `/readyz` on `HEALTH_PORT` (needs NATS). */
  health?: H;
  /** The durables for health when they depend on the env (the applier's chosen jobs); else `health.consumers`. */
  consumersOf?: (env: E) => readonly ConsumerDefinition[];
  /** Starts the service's parts; the kit stops them in order, then the health server, NATS and the database. */
  start(context: ServiceContext<E, D, N>): ServiceParts | Promise<ServiceParts>;
  /** Past this long after the stop began, the process exits 1 (default 25 s, under Compose's 30 s grace). */
  graceMs?: number;
  /** The environment to read (default `process.env`). */
  source?: Record<string, string | undefined>;
}

const isNatsUser = (name: string): name is NatsUser => (natsUsers as readonly string[]).includes(name);

/** The bits of an env that may be absent; read only where the spec asked for them. */
type Settings = RuntimeEnv & Partial<DatabaseSettings & NatsEnv & HealthSettings & { ST_TENANT_ID: string }>;

function readEnv<E>(schema: z.ZodType<E>, source: Record<string, string | undefined>) {
  try {
    return loadConfig(schema, source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/**
 * Runs a service: validated env → logger → database → NATS → health/metrics → the service's
 * parts → ordered shutdown on SIGTERM/SIGINT (stop the parts, close the health server, drain
 * NATS, close the database). A part that ends unasked, or a NATS connection that closes for good,
 * stops the service with exit code 1 so that a supervisor restarts it. Never returns.
 *
 * @example
 * await runService({
 *   name: 'comparator', env: comparatorEnv, database: true, nats: true,
 *   health: { consumers: [consumers.comparator] },
 *   start: ({ env, log, orm, js, metrics }) => ({ consumer: runConsumer({ js, log, ... }) }),
 * });
 */
export async function runService<
  const D extends boolean | undefined = undefined,
  const N extends NatsSpec | boolean | undefined = undefined,
  const H extends HealthSpec | undefined = undefined,
  E extends ServiceEnv<D, N, H> = ServiceEnv<D, N, H>,
>(spec: ServiceSpec<E, D, N, H>): Promise<never> {
  const { name } = spec;
  const { source, renamed } = withRenamedVariables(spec.source ?? process.env);
  const env = readEnv(spec.env, source);
  const settings: Settings = env;
  // Before anything names a stream, durable, subject or bucket: all of them follow it.
  useDeployment(settings.NATS_DEPLOYMENT ?? '');
  const log = createLogger({ service: name, level: settings.LOG_LEVEL });
  for (const r of renamed) {
    log.warn(
      { variable: r.old, use: r.name, ignored: r.ignored },
      'renamed environment variable: the old name is read for one more release',
    );
  }
  let orm: Orm | undefined;
  let nc: NatsConnection | undefined;
  let ops: Operations | undefined;
  let parts: ServiceParts = {};
  try {
    if (spec.database) {
      orm = await createOrm(settings.DATABASE_URL ?? '', {
        poolMax: settings.DATABASE_POOL_MAX,
        applicationName: name,
        logger: log,
      });
    }
    if (spec.nats) {
      const natsSpec: NatsSpec = spec.nats === true ? {} : spec.nats;
      nc = await connectNats({
        url: settings.NATS_URL ?? '',
        name,
        log,
        auth: natsAuthOf(settings),
        waitOnFirstConnect: natsSpec.waitOnFirstConnect,
        ...(isNatsUser(name) ? { inboxPrefix: inboxPrefixOf(name) } : {}),
        options: natsSpec.options,
      });
    }
    if (spec.health && nc) {
      ops = await startOperations({
        service: name,
        port: settings.HEALTH_PORT ?? 0,
        log,
        nc,
        orm: spec.health.database === false ? undefined : orm,
        consumers: spec.consumersOf?.(env) ?? spec.health.consumers,
        outboxBacklog: spec.health.outboxBacklog,
      });
    }
    const metrics = ops?.metrics ?? createMetrics({ service: name });
    const context = { env, log, metrics, orm, nc, js: nc && jetstream(nc) };
    // The context holds exactly what the spec asked for; the types say so per service.
    parts = await spec.start(context as ServiceContext<E, D, N>);
  } catch (err) {
    log.fatal({ err }, `${name} did not start`);
    await Promise.allSettled([ops?.close(), nc?.close(), orm?.close()]);
    process.exit(1);
  }
  log.info({ tenant: settings.ST_TENANT_ID, parts: Object.keys(parts) }, `${name} started`);

  const ends = Object.entries(parts).flatMap(([part, { stopped }]) =>
    stopped
      ? [
          stopped.then(
            () => part,
            () => part,
          ),
        ]
      : [],
  );
  const connection = nc;
  if (connection) ends.push(connection.closed().then(() => 'nats connection'));
  await stopOnSignals({
    log,
    service: name,
    stopped: ends.length > 0 ? Promise.race(ends) : new Promise<never>(() => {}),
    graceMs: spec.graceMs ?? 25_000,
    // Started by a parent with an IPC channel (a test harness): do not outlive it.
    events: process.send ? ['SIGTERM', 'SIGINT', 'disconnect'] : undefined,
    steps: [
      ...Object.values(parts).map((part) => () => part.stop()),
      async () => ops?.close(),
      async () => {
        if (connection && !connection.isClosed()) {
          await connection.drain();
          log.info('nats drained');
        }
      },
      async () => orm?.close(),
    ],
  });
  process.exit(process.exitCode ?? 0);
}
