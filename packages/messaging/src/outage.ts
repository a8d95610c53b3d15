import { setTimeout as delay } from 'node:timers/promises';
import type { Dependency } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { loopBackoffMs } from './backoff';

/** Answers once the dependency is reachable again; throws (or rejects) while it is not. */
export type DependencyProbe = (dependency: Dependency | undefined) => Promise<unknown>;

export interface OutageWaitOptions {
  log: Logger;
  /** Aborted when the runner stops: waiting ends at once. */
  stopping: AbortSignal;
  /** Checks the dependency between waits; without one, the next try of the held work is the probe. */
  probe?: DependencyProbe;
  /** Ceiling of one wait (default 15 s): how late after the dependency is back work resumes. */
  maxWaitMs?: number;
  /** True when waiting is pointless (the NATS connection holding the messages is closed). */
  abandoned?: () => boolean;
}

// An abort only ends the wait early: the caller looks at the signal next.
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Waits out an infrastructure outage: sleeps with jittered exponential backoff (`attempt` is how
 * many tries have failed so far), then probes, until the probe answers. No message is settled
 * meanwhile, so no retry budget is spent, however long it takes. Resolves `false` when the
 * runner stops first or the wait is abandoned.
 *
 * @example
 * if (await waitOutOutage('database', attempt, { log, stopping, probe })) retryHeldMessages();
 */
export async function waitOutOutage(
  dependency: Dependency | undefined,
  attempt: number,
  options: OutageWaitOptions,
): Promise<boolean> {
  const { stopping, probe, log } = options;
  for (let tries = attempt; !stopping.aborted && !options.abandoned?.(); tries += 1) {
    const delayMs = loopBackoffMs(tries, options.maxWaitMs ?? 15_000);
    log.debug({ dependency, delayMs, attempt: tries }, 'waiting for a dependency');
    await sleep(delayMs, stopping);
    if (stopping.aborted) break;
    if (!probe) return true;
    try {
      await probe(dependency);
      return true;
    } catch (err) {
      log.debug({ err, dependency }, 'dependency still down');
    }
  }
  return false;
}
