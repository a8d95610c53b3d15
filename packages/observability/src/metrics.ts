import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the applier did with one record, as `pricebook_records_total` labels it. */
export type RecordOperation =
  | 'created'
  | 'updated'
  | 'deleted'
  | 'skipped'
  | 'conflict'
  | 'merge'
  | 'quarantine';

/** How the consumer runner settled a message. */
export type MessageOutcome = 'ack' | 'nak' | 'term';

/** A source of a gauge's value, read on every scrape. */
export type GaugeSource = () => Promise<void> | void;

/**
 * The engine's metrics of one process, on a registry of its own (never prom-client's global one,
 * so tests and several apps in one process do not collide).
 */
export interface EngineMetrics {
  readonly registry: Registry;
  /** `pricebook_records_total{operation,entity,tenant}`: records applied, counted after the commit. */
  readonly records: Counter<'operation' | 'entity' | 'tenant'>;
  /** `pricebook_sync_duration_seconds{type,status,tenant}`: how long each finished sync took. */
  readonly syncDuration: Histogram<'type' | 'status' | 'tenant'>;
  /**
   * `pricebook_st_requests_total{status,tenant}`: ServiceTitan attempts by HTTP status (`0` = no
   * answer). The ServiceTitan metrics carry `tenant` when the client counting them serves one.
   */
  readonly stRequests: Counter<'status' | 'tenant'>;
  /** `pricebook_st_rate_limited_total{tenant}`: 429 answers from ServiceTitan. */
  readonly stRateLimited: Counter<'tenant'>;
  /** `pricebook_st_retries_total{tenant}`: ServiceTitan attempts repeated after a retryable failure. */
  readonly stRetries: Counter<'tenant'>;
  /** `pricebook_consumer_messages_total{consumer,outcome}`: messages settled by the runner. */
  readonly consumerMessages: Counter<'consumer' | 'outcome'>;
  /** `pricebook_consumer_pending_messages{consumer}`: messages not yet delivered (JetStream's view). */
  readonly consumerPending: Gauge<'consumer'>;
  /** `pricebook_consumer_ack_pending_messages{consumer}`: delivered and not yet acknowledged. */
  readonly consumerAckPending: Gauge<'consumer'>;
  /** `pricebook_outbox_backlog`: outbox rows not yet published. */
  readonly outboxBacklog: Gauge;
  /** `pricebook_consumer_waiting{consumer,dependency}`: 1 while a consumer's intake waits out an outage. */
  readonly consumerWaiting: Gauge<'consumer' | 'dependency'>;
  /** `pricebook_housekeeping_deleted_total{table}`: rows housekeeping deleted past their retention. */
  readonly housekeepingDeleted: Counter<'table'>;
  /** `pricebook_housekeeping_runs_total{outcome}`: housekeeping runs, `completed` or `failed`. */
  readonly housekeepingRuns: Counter<'outcome'>;
  /** `pricebook_drift_items{tenant,entity}`: drifted items of each tenant's latest drift report (API only). */
  readonly driftItems: Gauge<'tenant' | 'entity'>;
  /** `pricebook_drift_checked_timestamp_seconds{tenant}`: when the latest drift check finished (API only). */
  readonly driftCheckedAt: Gauge<'tenant'>;
  /** `pricebook_drift_check_failed{tenant}`: 1 when the latest drift check could not read ServiceTitan. */
  readonly driftCheckFailed: Gauge<'tenant'>;
  /** Counts messages settled by a consumer (the runner's hook, see `@pricebook/messaging`). */
  settled(consumer: string, outcome: MessageOutcome, count?: number): void;
  /** A consumer paused for an outage of `dependency`, or resumed (`undefined`): the runner's hook. */
  waiting(consumer: string, dependency: string | undefined): void;
  /** The consumers paused now, with the dependency each waits for (what `/readyz` reports). */
  waitingConsumers(): ReadonlyMap<string, string>;
  /** Counts applied records (`count` of one operation on one entity, of `tenant` when given). */
  applied(entity: string, operation: RecordOperation, count?: number, tenant?: string): void;
  /** Adds a function run before every scrape (gauges read from NATS or the database). */
  onScrape(source: GaugeSource): void;
  /** The Prometheus text of every metric, after the scrape sources ran. */
  scrape(): Promise<string>;
}

/** Sync durations run from seconds (a quiet incremental) to hours (a first full sync of 200k items). */
const syncBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400];

/**
 * Creates the registry of one process: Node's default process metrics plus the engine's, every
 * series labelled with `service`.
 *
 * @example
 * const metrics = createMetrics({ service: 'applier' });
 * metrics.applied('materials', 'created', 3);
 * const text = await metrics.scrape();
 */
export function createMetrics(options: { service: string }): EngineMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources: GaugeSource[] = [];

  const records = new Counter({
    name: 'pricebook_records_total',
    help: 'Records applied to the local pricebook, by operation, entity and tenant (counted after commit).',
    labelNames: ['operation', 'entity', 'tenant'] as const,
    registers,
  });
  const consumerMessages = new Counter({
    name: 'pricebook_consumer_messages_total',
    help: 'Messages settled by a durable consumer, by outcome (ack, nak = retry later, term = dead-lettered).',
    labelNames: ['consumer', 'outcome'] as const,
    registers,
  });

  const consumerWaiting = new Gauge({
    name: 'pricebook_consumer_waiting',
    help: 'Whether a durable consumer has paused its intake to wait out an outage of a dependency (1) or not.',
    labelNames: ['consumer', 'dependency'] as const,
    registers,
  });
  const waiting = new Map<string, string>();
  const stRateLimited = new Counter({
    name: 'pricebook_st_rate_limited_total',
    help: 'ServiceTitan answers 429 (rate limited), by tenant.',
    labelNames: ['tenant'] as const,
    registers,
  });
  const stRetries = new Counter({
    name: 'pricebook_st_retries_total',
    help: 'ServiceTitan attempts repeated after a retryable failure, by tenant.',
    labelNames: ['tenant'] as const,
    registers,
  });
  // Shown at 0 from the start (a labelled counter has no series until used), so an alert on
  // them has a series to watch; each tenant's client adds its own (`stClientMetrics`).
  stRateLimited.inc(0);
  stRetries.inc(0);

  return {
    registry,
    records,
    consumerWaiting,
    syncDuration: new Histogram({
      name: 'pricebook_sync_duration_seconds',
      help: 'Duration of finished syncs, by sync type, final status and tenant.',
      labelNames: ['type', 'status', 'tenant'] as const,
      buckets: syncBuckets,
      registers,
    }),
    stRequests: new Counter({
      name: 'pricebook_st_requests_total',
      help: 'ServiceTitan API attempts (retries included), by HTTP status and tenant; 0 = no answer.',
      labelNames: ['status', 'tenant'] as const,
      registers,
    }),
    stRateLimited,
    stRetries,
    consumerMessages,
    consumerPending: new Gauge({
      name: 'pricebook_consumer_pending_messages',
      help: 'Messages waiting for a durable consumer, not yet delivered (from JetStream consumer info).',
      labelNames: ['consumer'] as const,
      registers,
    }),
    consumerAckPending: new Gauge({
      name: 'pricebook_consumer_ack_pending_messages',
      help: 'Messages delivered to a durable consumer and not yet acknowledged.',
      labelNames: ['consumer'] as const,
      registers,
    }),
    outboxBacklog: new Gauge({
      name: 'pricebook_outbox_backlog',
      help: 'Outbox rows not yet published to PRICEBOOK_EVENTS.',
      registers,
    }),
    housekeepingDeleted: new Counter({
      name: 'pricebook_housekeeping_deleted_total',
      help: 'Rows deleted by housekeeping because they were past their retention, by table.',
      labelNames: ['table'] as const,
      registers,
    }),
    housekeepingRuns: new Counter({
      name: 'pricebook_housekeeping_runs_total',
      help: 'Housekeeping runs, by outcome (completed, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    driftItems: new Gauge({
      name: 'pricebook_drift_items',
      help: 'Items where ServiceTitan and the local copy differ with no local edit pending, in the latest drift report, by tenant and entity.',
      labelNames: ['tenant', 'entity'] as const,
      registers,
    }),
    driftCheckedAt: new Gauge({
      name: 'pricebook_drift_checked_timestamp_seconds',
      help: "When the tenant's latest drift check finished (Unix seconds).",
      labelNames: ['tenant'] as const,
      registers,
    }),
    driftCheckFailed: new Gauge({
      name: 'pricebook_drift_check_failed',
      help: "Whether the tenant's latest drift check could not read ServiceTitan (1) or finished (0).",
      labelNames: ['tenant'] as const,
      registers,
    }),
    settled(consumer, outcome, count = 1) {
      if (count > 0) consumerMessages.inc({ consumer, outcome }, count);
    },
    waiting(consumer, dependency) {
      const before = waiting.get(consumer);
      if (before !== undefined && before !== dependency)
        consumerWaiting.set({ consumer, dependency: before }, 0);
      if (dependency === undefined) waiting.delete(consumer);
      else {
        waiting.set(consumer, dependency);
        consumerWaiting.set({ consumer, dependency }, 1);
      }
    },
    waitingConsumers: () => waiting,
    applied(entity, operation, count = 1, tenant) {
      if (count > 0) records.inc({ operation, entity, ...(tenant === undefined ? {} : { tenant }) }, count);
    },
    onScrape(source) {
      sources.push(source);
    },
    async scrape() {
      // A source that fails leaves its gauge at the last value it read; the scrape still answers.
      await Promise.allSettled(sources.map(async (s) => s()));
      return registry.metrics();
    },
  };
}
