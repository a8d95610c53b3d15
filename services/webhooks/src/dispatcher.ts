import { setTimeout as delay } from 'node:timers/promises';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { loopBackoffMs } from '@pricebook/messaging';
import type { WebhookMetrics } from '@pricebook/observability';
import type { ServicePart } from '@pricebook/service-kit';
import type { SecretBox } from '@pricebook/tenants';
import {
  checkWebhookUrl,
  type UrlGuardOptions,
  WebhookUrlRefused,
  webhookSecretBinding,
} from '@pricebook/webhooks';
import { Webhook } from 'standardwebhooks';
import { describeFailure, type Outcome, outcomeOf } from './outcome';
import { type Claimed, recordOutcome, recordUnreadableSecret } from './record';
import { postTo } from './send';

export interface DispatcherOptions {
  orm: Orm;
  log: Logger;
  /** Opens the signing secrets; without one (no `TENANT_SECRETS_KEYS`) nothing can be signed. */
  box: SecretBox | undefined;
  schedule: readonly number[];
  disableAfterMs: number;
  timeoutMs: number;
  allowPrivate: boolean;
  concurrency: number;
  pollMs: number;
  metrics?: WebhookMetrics;
  /** The URL guard's resolver (tests); the system's by default. */
  resolve?: UrlGuardOptions['resolve'];
}

export interface Dispatcher extends ServicePart {
  readonly stopped: Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Claims due deliveries (`for update skip locked`, so replicas share them) and leases them for
 * longer than an attempt lasts: a replica killed mid-attempt leaves its deliveries due again
 * once the lease ends. Returns the claimed rows.
 */
async function claimDue(orm: Orm, limit: number, leaseMs: number): Promise<Claimed[]> {
  return orm.em.fork().execute<Claimed[]>(
    `with due as (
       select d.id from pricebook_webhook_deliveries d
         join pricebook_webhook_subscriptions s on s.id = d.subscription_id and s.status = 'active'
        where d.status = 'pending' and d.next_attempt_at <= now()
        order by d.next_attempt_at
        limit ?
        for update of d skip locked)
     update pricebook_webhook_deliveries d
        set next_attempt_at = now() + make_interval(secs => ?)
       from due, pricebook_webhook_subscriptions s
      where d.id = due.id and s.id = d.subscription_id
     returning d.id, d.subscription_id, d.tenant_id::text as tenant_id, d.event_id, d.payload, d.attempts,
               d.created_at, s.url, s.secret`,
    [limit, leaseMs / 1_000],
  );
}

/**
 * Makes one attempt: checks the URL again (connecting to the address checked), signs the body
 * with the subscription's secret (Standard Webhooks: `webhook-id` is the event id on every
 * attempt, `webhook-timestamp` this attempt's), POSTs it and records what happened.
 */
async function attempt(options: DispatcherOptions, row: Claimed): Promise<void> {
  const { log } = options;
  let secret: string;
  try {
    if (!options.box) throw new Error('TENANT_SECRETS_KEYS is not set');
    secret = options.box.open(row.secret, webhookSecretBinding(row.tenant_id, row.subscription_id));
  } catch (err) {
    log.error({ subscriptionId: row.subscription_id, err }, 'webhook signing secret cannot be opened');
    await recordUnreadableSecret(options.orm, row, describeFailure(err));
    return;
  }
  const attemptedAt = new Date();
  const started = performance.now();
  let outcome: Outcome;
  let answered = false;
  let excerpt: string | null = null;
  try {
    const target = await checkWebhookUrl(row.url, {
      allowPrivate: options.allowPrivate,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    const body = JSON.stringify(row.payload);
    const headers = {
      'webhook-id': row.event_id,
      'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1_000)),
      'webhook-signature': new Webhook(secret).sign(row.event_id, attemptedAt, body),
    };
    const answer = await postTo(target, body, headers, options.timeoutMs);
    outcome = outcomeOf(answer);
    excerpt = answer.excerpt;
    answered = true;
  } catch (err) {
    outcome =
      err instanceof WebhookUrlRefused
        ? { kind: 'refused_url', error: err.message }
        : { kind: 'failed', status: null, error: describeFailure(err) };
  }
  const ms = Math.round(performance.now() - started);
  if (answered) options.metrics?.attemptSeconds.observe(ms / 1_000);
  options.metrics?.attempts.inc({ outcome: outcome.kind });
  const recorded = await recordOutcome(options, row, outcome, { attemptedAt, ms, excerpt });
  if (recorded.disabledReason) {
    options.metrics?.disabled.inc({ reason: outcome.kind === 'gone' ? 'gone' : 'failing' });
    log.warn(
      { subscriptionId: row.subscription_id, tenant: row.tenant_id, reason: recorded.disabledReason },
      'webhook subscription disabled',
    );
  }
}

/**
 * Runs the dispatcher loop until stopped: keeps up to `concurrency` attempts in flight, claiming
 * due deliveries as slots free (a slow receiver holds one slot, not the others), and looks again
 * every `pollMs` when none was due. A database outage is waited out with backoff; `stop()` lets
 * the attempts in flight finish.
 *
 * @example
 * const dispatcher = startDispatcher({ orm, log, box, schedule, … });
 * await dispatcher.stop();
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const controller = new AbortController();
  const { signal } = controller;
  const log = options.log.child({ component: 'dispatcher' });
  const settings = { ...options, log };
  const leaseMs = options.timeoutMs + 30_000;
  const inFlight = new Set<Promise<void>>();
  // One wait at a time, ended early by a freed slot or by stop().
  let wake: (() => void) | undefined;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });
  signal.addEventListener('abort', () => wake?.(), { once: true });
  const launch = (row: Claimed) => {
    const running: Promise<void> = attempt(settings, row)
      .catch((err: unknown) => {
        // The lease brings it back: nothing is lost when recording fails (the database went away).
        log.warn({ err, deliveryId: row.id }, 'webhook attempt not recorded; it will be tried again');
      })
      .finally(() => {
        inFlight.delete(running);
        wake?.();
      });
    inFlight.add(running);
  };
  const run = async () => {
    let failures = 0;
    while (!signal.aborted) {
      const free = options.concurrency - inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const rows = await claimDue(options.orm, free, leaseMs);
          failures = 0;
          for (const row of rows) launch(row);
          claimed = rows.length;
        } catch (err) {
          failures += 1;
          log.warn({ err, failures }, 'webhook deliveries could not be claimed; trying again');
          await sleep(loopBackoffMs(failures), signal);
          continue;
        }
      }
      // More may be due at once while slots are free; otherwise wait for a slot or the next look.
      if (claimed === 0 || claimed === free) await nap(options.pollMs);
    }
    await Promise.allSettled([...inFlight]);
  };
  const stopped = run();
  return {
    stopped,
    async stop() {
      controller.abort();
      await stopped;
    },
  };
}
