import type { EntityType } from '@pricebook/contracts';

/**
 * Counters a service can read (and export as metrics) at any time. Numbers only grow; take
 * a snapshot with `client.stats()`.
 */
export interface StClientStats {
  /** API attempts sent (retries included; token requests excluded). */
  requests: number;
  /** Attempts by outcome: the HTTP status (`"200"`, `"429"`, …) or `"network"`. */
  byStatus: Record<string, number>;
  /** 429 answers received. */
  rateLimited: number;
  /** Attempts repeated after a retryable failure. */
  retries: number;
  /** Attempts that ended without an HTTP answer (reset, refused, timeout). */
  networkErrors: number;
  /** Answers whose body was cut short or was not JSON. */
  badBodies: number;
  /** Token requests sent to the auth server. */
  tokenRequests: number;
  /** Tokens renewed because the API answered 401. */
  tokenRefreshesOn401: number;
  /** Creates whose outcome is unknown (see `StAmbiguousWriteError`). */
  ambiguousWrites: number;
  /** Records that failed schema validation and were handed back as `invalid`. */
  invalidRecords: number;
}

/** One thing the client did, for callers that want more than counters. */
export type StClientEvent =
  | {
      type: 'response';
      operation: string;
      method: string;
      /** HTTP status, or 0 when no answer came. */
      status: number;
      attempt: number;
      durationMs: number;
    }
  | { type: 'retry'; operation: string; attempt: number; reason: string; delayMs: number }
  | { type: 'token'; reason: 'initial' | 'expiring' | 'unauthorized' }
  | { type: 'invalid-record'; entity: EntityType; id: unknown; reason: string };

/** Receives every {@link StClientEvent}; must not throw (errors are swallowed). */
export type StClientEventListener = (event: StClientEvent) => void;

/**
 * A fresh zeroed stats object.
 *
 * @example
 * const stats = createStats(); stats.requests += 1;
 */
export function createStats(): StClientStats {
  return {
    requests: 0,
    byStatus: {},
    rateLimited: 0,
    retries: 0,
    networkErrors: 0,
    badBodies: 0,
    tokenRequests: 0,
    tokenRefreshesOn401: 0,
    ambiguousWrites: 0,
    invalidRecords: 0,
  };
}

/**
 * The stats plus a safe event emitter, shared by the client's parts.
 *
 * @example
 * const telemetry = new StTelemetry((event) => metrics.observe(event));
 * telemetry.countStatus(200);
 */
export class StTelemetry {
  readonly stats: StClientStats = createStats();

  constructor(private readonly listener?: StClientEventListener) {}

  emit(event: StClientEvent): void {
    if (!this.listener) return;
    try {
      this.listener(event);
    } catch {
      // A metrics hook must never break a request.
    }
  }

  countStatus(status: number | 'network'): void {
    const key = String(status);
    this.stats.byStatus[key] = (this.stats.byStatus[key] ?? 0) + 1;
  }

  snapshot(): StClientStats {
    return { ...this.stats, byStatus: { ...this.stats.byStatus } };
  }
}
