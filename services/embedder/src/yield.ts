import { setTimeout as delay } from 'node:timers/promises';
import { type Orm, syncsUnderWay } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';

export interface YieldSettings {
  /**
   * Longest the embedder waits for syncs that follow one another without a pause; after that it
   * embeds beside them until it sees none at work (0: never waits).
   */
  maxWaitMs: number;
  /** How often a waiting embedder looks again, and how long one look is trusted (default 250 ms). */
  pollMs?: number;
}

// An abort only ends the wait early: the caller looks at the signal next.
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Keeps the embedder off the machine while a sync is at work. Embedding is the work that can wait:
 * its vectors and their index writes compete for the same cores and the same PostgreSQL as the
 * sync's comparator and applier, so before each pull, and before each slice of a batch, the
 * embedder waits until every sync of every tenant has ended (queued ones count: a sync is queued
 * while its first page is read), and takes up its backlog after.
 *
 * A deployment whose syncs follow one another without a pause would never see that moment: once
 * the embedder has waited `maxWaitMs` in one stretch it embeds beside the syncs until it sees none
 * at work, and waits again from there. A database that does not answer is not a sync: the pull
 * goes ahead and the handler meets the outage (and waits it out) as it would have anyway.
 *
 * @example
 * const gate = new YieldToSyncs({ orm, log, settings: { maxWaitMs: 600_000 } });
 * runConsumer({ ..., beforePull: (signal) => gate.wait(signal) });
 */
export class YieldToSyncs {
  /** Since when syncs have been at work without a pause, as this embedder saw it. */
  #busySince: number | undefined;
  #waiting = false;
  #lastLook: { at: number; busy: number } | undefined;

  constructor(
    private readonly deps: {
      orm: Orm;
      log: Logger;
      settings: YieldSettings;
      now?: () => number;
    },
  ) {}

  /** Resolves when the embedder may pull: no sync at work, waited long enough, or `signal` aborted. */
  async wait(signal: AbortSignal): Promise<void> {
    const { maxWaitMs } = this.deps.settings;
    if (maxWaitMs <= 0) return;
    const now = this.deps.now ?? Date.now;
    while (!signal.aborted) {
      const busy = await this.#look(now());
      if (busy === 0) {
        if (this.#waiting) this.deps.log.info('no sync at work; embedding again');
        this.#busySince = undefined;
        this.#waiting = false;
        return;
      }
      this.#busySince ??= now();
      const waitedMs = now() - this.#busySince;
      if (waitedMs >= maxWaitMs) {
        if (this.#waiting)
          this.deps.log.warn(
            { syncs: busy, waitedMs },
            'syncs have been at work without a pause for the longest wait; embedding beside them',
          );
        this.#waiting = false;
        return;
      }
      if (!this.#waiting) this.deps.log.info({ syncs: busy }, 'a sync is at work; embedding waits for it');
      this.#waiting = true;
      await sleep(this.#pollMs(), signal);
    }
  }

  #pollMs(): number {
    return this.deps.settings.pollMs ?? 250;
  }

  /** How many syncs are at work: one query per poll interval, shared by every consumer. */
  async #look(at: number): Promise<number> {
    if (this.#lastLook && at - this.#lastLook.at < this.#pollMs()) return this.#lastLook.busy;
    let busy = 0;
    try {
      busy = await syncsUnderWay(this.deps.orm.em.fork());
    } catch (err) {
      this.deps.log.debug({ err }, 'could not tell whether a sync is at work; embedding goes ahead');
    }
    this.#lastLook = { at, busy };
    return busy;
  }
}
