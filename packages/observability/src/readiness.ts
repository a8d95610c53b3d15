import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type ConsumerDefinition, deploymentNames } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';

/** One readiness check: resolves when the dependency answers, throws (or hangs) otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  /** Each check by name: `ok`, or why it failed. */
  checks: Record<string, string>;
}

/** A check that has not answered by then counts as down, so a probe never hangs on a dead server. */
const defaultTimeoutMs = 2_000;

async function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const result = check().then(
    () => 'ok',
    (err: unknown) => (err instanceof Error && err.message ? err.message : 'failed'),
  );
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check at once, each bounded by `timeoutMs`.
 *
 * @example
 * const report = await checkReadiness({ database: databaseCheck(orm) });
 * if (!report.ready) console.log(report.checks); // { database: 'connection refused' }
 */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = defaultTimeoutMs,
): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(
    names.map((name) => withTimeout(checks[name] ?? (async () => undefined), timeoutMs)),
  );
  const report: ReadinessReport = { ready: true, checks: {} };
  names.forEach((name, i) => {
    const outcome = outcomes[i] ?? 'failed';
    report.checks[name] = outcome;
    if (outcome !== 'ok') report.ready = false;
  });
  return report;
}

/**
 * The database answers `select 1`.
 *
 * @example
 * checkReadiness({ database: databaseCheck(orm) });
 */
export function databaseCheck(orm: Orm): ReadinessCheck {
  return () => orm.em.fork().execute('select 1');
}

/**
 * The NATS connection is open and the server answers a round trip. While nats.js reconnects the
 * connection is not closed, but the flush does not come back, so the timeout decides.
 *
 * @example
 * checkReadiness({ nats: natsCheck(nc) });
 */
export function natsCheck(nc: NatsConnection): ReadinessCheck {
  return async () => {
    if (nc.isClosed()) throw new Error('connection closed');
    await nc.flush();
  };
}

/**
 * Every durable consumer this process pulls from exists on its stream.
 *
 * @example
 * checkReadiness({ consumers: consumersCheck(jsm, [consumers.applier, consumers.fence]) });
 */
export function consumersCheck(jsm: JetStreamManager, defs: readonly ConsumerDefinition[]): ReadinessCheck {
  return async () => {
    const missing: string[] = [];
    await Promise.all(
      defs.map(async (def) => {
        try {
          await jsm.consumers.info(deploymentNames().stream(def.stream), deploymentNames().durable(def.name));
        } catch {
          missing.push(def.name);
        }
      }),
    );
    if (missing.length > 0) throw new Error(`consumer not available: ${missing.sort().join(', ')}`);
  };
}

/**
 * No consumer of this process has paused its intake to wait out an outage; otherwise names each
 * paused consumer with the dependency it waits for.
 *
 * @example
 * checkReadiness({ intake: intakeCheck(() => metrics.waitingConsumers()) });
 * // { intake: 'paused: applier-inbound waits for database' }
 */
export function intakeCheck(waiting: () => ReadonlyMap<string, string>): ReadinessCheck {
  return async () => {
    const paused = [...waiting()].sort(([a], [b]) => a.localeCompare(b));
    if (paused.length > 0) {
      throw new Error(
        `paused: ${paused.map(([consumer, dep]) => `${consumer} waits for ${dep}`).join(', ')}`,
      );
    }
  };
}
