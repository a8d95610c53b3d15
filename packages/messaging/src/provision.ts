import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import {
  type ConsumerDefinition,
  consumers as engineConsumers,
  streams as engineStreams,
  type StreamDefinition,
} from '@pricebook/contracts';
import type { Logger } from '@pricebook/logger';

export type ProvisionAction = 'created' | 'updated' | 'unchanged';

/** What provisioning needs of a durable: the engine's own, or one made for an integrator. */
export type DurableDefinition = Pick<
  ConsumerDefinition,
  'stream' | 'name' | 'description' | 'filterSubject' | 'ackWaitMs' | 'maxDeliver' | 'maxAckPending'
>;

export interface ProvisionReport {
  streams: Array<{ name: string; action: ProvisionAction; changed: string[] }>;
  consumers: Array<{ stream: string; name: string; action: ProvisionAction; changed: string[] }>;
}

export interface ProvisionOptions {
  /** Defaults to every engine stream ({@link engineStreams}). */
  streams?: readonly StreamDefinition[];
  /** Defaults to every engine consumer ({@link engineConsumers}). */
  consumers?: readonly DurableDefinition[];
  log?: Logger;
}

/**
 * The server config of a stream definition.
 *
 * @example
 * await jsm.streams.add(toStreamConfig(streams.PRICEBOOK_EVENTS));
 */
export function toStreamConfig(def: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: def.name,
    description: def.description,
    subjects: [...def.subjects],
    retention: def.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: def.storage === 'file' ? StorageType.File : StorageType.Memory,
    discard: def.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
    max_age: nanos(def.maxAgeMs),
    duplicate_window: nanos(def.duplicateWindowMs),
    max_bytes: def.maxBytes,
    max_msg_size: def.maxMsgSize,
    num_replicas: def.replicas,
  };
}

/**
 * The server config of a durable pull consumer definition.
 *
 * @example
 * await jsm.consumers.add('PRICEBOOK_PIPELINE', toConsumerConfig(consumers.applier));
 */
export function toConsumerConfig(def: DurableDefinition): Partial<ConsumerConfig> {
  return {
    durable_name: def.name,
    description: def.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    filter_subject: def.filterSubject,
    ack_wait: nanos(def.ackWaitMs),
    max_deliver: def.maxDeliver,
    max_ack_pending: def.maxAckPending,
  };
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/** The fields we own that differ between what the server has and what we want. */
function streamDiff(have: StreamInfo['config'], want: StreamDefinition): string[] {
  const changed: string[] = [];
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  if (!same(have.subjects ?? [], want.subjects)) changed.push('subjects');
  if ((have.description ?? '') !== want.description) changed.push('description');
  if (millis(have.max_age) !== want.maxAgeMs) changed.push('maxAgeMs');
  if (millis(have.duplicate_window) !== want.duplicateWindowMs) changed.push('duplicateWindowMs');
  if (have.max_bytes !== want.maxBytes) changed.push('maxBytes');
  if (have.max_msg_size !== want.maxMsgSize) changed.push('maxMsgSize');
  if (have.num_replicas !== want.replicas) changed.push('replicas');
  if (have.discard !== (want.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old))
    changed.push('discard');
  return changed;
}

function consumerDiff(have: ConsumerInfo['config'], want: DurableDefinition): string[] {
  const changed: string[] = [];
  if ((have.description ?? '') !== want.description) changed.push('description');
  if ((have.filter_subject ?? '') !== want.filterSubject) changed.push('filterSubject');
  if (millis(have.ack_wait ?? 0) !== want.ackWaitMs) changed.push('ackWaitMs');
  if (have.max_deliver !== want.maxDeliver) changed.push('maxDeliver');
  if (have.max_ack_pending !== want.maxAckPending) changed.push('maxAckPending');
  return changed;
}

/**
 * Creates or updates one stream so it matches its definition. Retention and storage cannot
 * change on a live stream: that throws, saying so.
 *
 * @example
 * const { action, changed } = await ensureStream(jsm, streams.PRICEBOOK_EVENTS);
 */
export async function ensureStream(
  jsm: JetStreamManager,
  def: StreamDefinition,
): Promise<{ action: ProvisionAction; changed: string[] }> {
  const config = toStreamConfig(def);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(def.name);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    await jsm.streams.add(config);
    return { action: 'created', changed: [] };
  }
  const { retention, storage } = config;
  if (info.config.retention !== retention || info.config.storage !== storage) {
    throw new Error(
      `stream ${def.name} is ${info.config.retention}/${info.config.storage} on the server but ${retention}/${storage} in the contracts; it cannot change in place: move its messages and recreate it`,
    );
  }
  const changed = streamDiff(info.config, def);
  if (changed.length === 0) return { action: 'unchanged', changed };
  const { name: _name, retention: _r, storage: _s, ...updatable } = config;
  await jsm.streams.update(def.name, updatable);
  return { action: 'updated', changed };
}

/**
 * Creates or updates one durable consumer so it matches its definition.
 *
 * @example
 * await ensureConsumer(jsm, consumers.comparator); // { action: 'unchanged', changed: [] }
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  def: DurableDefinition,
): Promise<{ action: ProvisionAction; changed: string[] }> {
  const config = toConsumerConfig(def);
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(def.stream, def.name);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    await jsm.consumers.add(def.stream, config);
    return { action: 'created', changed: [] };
  }
  const changed = consumerDiff(info.config, def);
  if (changed.length === 0) return { action: 'unchanged', changed };
  const { durable_name: _d, ack_policy: _a, deliver_policy: _p, replay_policy: _rp, ...updatable } = config;
  await jsm.consumers.update(def.stream, def.name, updatable);
  return { action: 'updated', changed };
}

/**
 * Creates or updates every stream, then every durable consumer, from the contracts.
 * Idempotent: a second run reports everything `unchanged`. Needs a user that may manage
 * JetStream (the `admin` user of the shipped config); services only bind to what it made.
 *
 * @example
 * const report = await provision(await jetstreamManager(nc), { log });
 */
export async function provision(
  jsm: JetStreamManager,
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  const report: ProvisionReport = { streams: [], consumers: [] };
  for (const def of options.streams ?? Object.values(engineStreams)) {
    const r = await ensureStream(jsm, def);
    report.streams.push({ name: def.name, ...r });
    if (r.action !== 'unchanged') options.log?.info({ stream: def.name, ...r }, 'stream provisioned');
  }
  const consumers: readonly DurableDefinition[] = options.consumers ?? Object.values(engineConsumers);
  for (const def of consumers) {
    const r = await ensureConsumer(jsm, def);
    report.consumers.push({ stream: def.stream, name: def.name, ...r });
    if (r.action !== 'unchanged') {
      options.log?.info({ stream: def.stream, consumer: def.name, ...r }, 'consumer provisioned');
    }
  }
  return report;
}
