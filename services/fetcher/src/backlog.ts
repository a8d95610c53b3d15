import { setTimeout as delay } from 'node:timers/promises';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@pricebook/logger';
import { tenantPipelineBacklog } from '@pricebook/messaging';

/** How the fetcher shares the pipeline between tenants. */
export interface BacklogSettings {
  /**
   * Most messages of one tenant the pipeline stream may hold before the fetcher publishes more of
   * that tenant's (0: no limit).
   */
  limit: number;
  /** How often a waiting sync looks at its tenant's backlog again (default 1 s). */
  pollMs?: number | undefined;
}

const defaultPollMs = 1_000;

// An abort only ends the wait early: the caller looks at the signal next.
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Holds one sync's publishing to its tenant's share of `PRICEBOOK_PIPELINE`: before a message is
 * published, the tenant has fewer than `limit` messages stored there, or the sync waits until the
 * comparator and the applier have taken enough of them. The pipeline's consumers take messages in
 * stream order, so a 200,000-record sync of one tenant no longer stands in front of everything a
 * second tenant publishes after it: the stream holds at most `limit` of each, interleaved.
 *
 * The backlog is read (one stream info request) only when the allowance from the last reading is
 * spent, after what is in flight was stored, so a tenant's backlog never passes the limit while one
 * sync of it runs (the run lock allows no second). A NATS failure throws as a publish does; the
 * wait ends on `signal`, and the caller gives the command back.
 *
 * @example
 * const gate = new BacklogGate({ js, log, tenant: '1001', settings: { limit: 2_000 }, signal });
 * for (const message of page) {
 *   await gate.admit(() => window.drain());
 *   await window.add(message);
 * }
 */
export class BacklogGate {
  #allowance = 0;
  #jsm: JetStreamManager | undefined;

  constructor(
    private readonly deps: {
      js: JetStreamClient;
      log: Logger;
      tenant: string;
      settings: BacklogSettings | undefined;
      signal: AbortSignal;
    },
  ) {}

  /**
   * Resolves once one more message of the tenant may be published. `settle` waits for the
   * publishes in flight (the publish window's `drain`), so the count read after it includes them.
   * Returns false when shutdown interrupted the wait.
   */
  async admit(settle: () => Promise<unknown>): Promise<boolean> {
    const limit = this.deps.settings?.limit ?? 0;
    if (limit <= 0) return true;
    if (this.#allowance > 0) {
      this.#allowance -= 1;
      return true;
    }
    await settle();
    const { log, tenant, signal } = this.deps;
    let waited = false;
    for (;;) {
      const backlog = await tenantPipelineBacklog(await this.#manager(), tenant);
      if (backlog < limit) {
        if (waited)
          log.info({ tenant, backlog, limit }, 'pipeline backlog below the limit; publishing again');
        this.#allowance = limit - backlog - 1;
        return true;
      }
      if (!waited) log.info({ tenant, backlog, limit }, 'pipeline backlog at the limit; waiting');
      waited = true;
      await sleep(this.deps.settings?.pollMs ?? defaultPollMs, signal);
      if (signal.aborted) return false;
    }
  }

  async #manager(): Promise<JetStreamManager> {
    // No API check: the stream info request itself says whether JetStream answers.
    this.#jsm ??= await this.deps.js.jetstreamManager(false);
    return this.#jsm;
  }
}
