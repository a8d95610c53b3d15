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
  deploymentNames,
  consumers as engineConsumers,
  streams as engineStreams,
  type StreamDefinition,
  type WireNames,
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
  /** The deployment whose names to provision; defaults to the process's (`useDeployment`). */
  deployment?: string;
}

/**
 * The server config of a stream definition.
 *
 * @example
 * await jsm.streams.add(toStreamConfig(streams.PRICEBOOK_EVENTS));
 */
export function toStreamConfig(
  def: StreamDefinition,
  names: WireNames = deploymentNames(),
): Partial<StreamConfig> & { name: string } {
  return {
    name: names.stream(def.name),
    description: def.description,
    subjects: def.subjects.map(names.subject),
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
export function toConsumerConfig(
  def: DurableDefinition,
  names: WireNames = deploymentNames(),
): Partial<ConsumerConfig> {
  return {
    durable_name: names.durable(def.name),
    description: def.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    filter_subject: names.subject(def.filterSubject),
    ack_wait: nanos(def.ackWaitMs),
    max_deliver: def.maxDeliver,
    max_ack_pending: def.maxAckPending,
  };
}

function isNotFound(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/**
 * The fields we own that differ between what the server has and what we want. Only these are
 * sent back changed: a setting the definition does not name (placement, compression, max
 * messages…) keeps whatever an operator gave it, since an update starts from the server's config.
 */
function streamDiff(have: StreamInfo['config'], want: StreamDefinition, names: WireNames): string[] {
  const changed: string[] = [];
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  if (!same(have.subjects ?? [], want.subjects.map(names.subject))) changed.push('subjects');
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

function consumerDiff(have: ConsumerInfo['config'], want: DurableDefinition, names: WireNames): string[] {
  const changed: string[] = [];
  if ((have.description ?? '') !== want.description) changed.push('description');
  if ((have.filter_subject ?? '') !== names.subject(want.filterSubject)) changed.push('filterSubject');
  if (millis(have.ack_wait ?? 0) !== want.ackWaitMs) changed.push('ackWaitMs');
  if (have.max_deliver !== want.maxDeliver) changed.push('maxDeliver');
  if (have.max_ack_pending !== want.maxAckPending) changed.push('maxAckPending');
  return changed;
}

/**
 * A server's refusal of a stream's replicas, as an operator can act on it: which setting, which
 * value, and what the server did.
 */
function replicasRefused(stream: string, replicas: number, said: string, cause?: unknown): Error {
  return new Error(
    `stream ${stream}: the server refused ${replicas} replicas (NATS_STREAM_REPLICAS=${replicas}): ${said}. A server outside a JetStream cluster holds 1 replica; 3 need a cluster of at least three servers.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Runs a create or update and checks the replicas the server runs: a server outside a cluster
 * accepts any count into the config and runs one, which would leave a deployment believing it
 * is replicated. Then the count it had (`previous`) is written back, so the config says what
 * runs and the next provisioning asks again, and fails again, until the setting or the server
 * changes.
 */
async function applying(
  jsm: JetStreamManager,
  stream: string,
  replicas: { want: number; previous: number },
  write: () => Promise<StreamInfo>,
): Promise<void> {
  try {
    await write();
  } catch (err) {
    const refusal = /replica|cluster|insufficient/i;
    if (replicas.want !== 1 && err instanceof JetStreamApiError && refusal.test(err.message)) {
      throw replicasRefused(stream, replicas.want, err.message, err);
    }
    throw err;
  }
  if (replicas.want === 1) return;
  // The write's own answer echoes the count asked for; the peers say what runs.
  const info = await jsm.streams.info(stream);
  const peers = info.cluster?.replicas?.length ?? 0;
  if (peers === 0) {
    await jsm.streams.update(stream, { num_replicas: replicas.previous });
    throw replicasRefused(stream, replicas.want, 'it runs one copy (no peers: not a JetStream cluster)');
  }
}

/**
 * Creates or updates one stream so it matches its definition: the definition (from the
 * configuration) is the source of truth for the settings it names, so a changed replicas count,
 * max age or limit is applied to the live stream, and a setting it does not name is left as an
 * operator set it. Retention and storage cannot change on a live stream: that throws, saying so.
 *
 * @example
 * const { action, changed } = await ensureStream(jsm, streams.PRICEBOOK_EVENTS);
 */
export async function ensureStream(
  jsm: JetStreamManager,
  def: StreamDefinition,
  names: WireNames = deploymentNames(),
): Promise<{ action: ProvisionAction; changed: string[] }> {
  const config = toStreamConfig(def, names);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(config.name);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    const replicas = { want: def.replicas, previous: 1 };
    await applying(jsm, config.name, replicas, () => jsm.streams.add(config));
    return { action: 'created', changed: [] };
  }
  const { retention, storage } = config;
  if (info.config.retention !== retention || info.config.storage !== storage) {
    throw new Error(
      `stream ${config.name} is ${info.config.retention}/${info.config.storage} on the server but ${retention}/${storage} in the contracts; it cannot change in place: move its messages and recreate it`,
    );
  }
  const changed = streamDiff(info.config, def, names);
  if (changed.length === 0) return { action: 'unchanged', changed };
  const { name: _name, retention: _r, storage: _s, ...updatable } = config;
  const replicas = { want: def.replicas, previous: info.config.num_replicas };
  await applying(jsm, config.name, replicas, () => jsm.streams.update(config.name, updatable));
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
  names: WireNames = deploymentNames(),
): Promise<{ action: ProvisionAction; changed: string[] }> {
  const config = toConsumerConfig(def, names);
  const stream = names.stream(def.stream);
  const durable = names.durable(def.name);
  let info: ConsumerInfo;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    await jsm.consumers.add(stream, config);
    return { action: 'created', changed: [] };
  }
  const changed = consumerDiff(info.config, def, names);
  if (changed.length === 0) return { action: 'unchanged', changed };
  const { durable_name: _d, ack_policy: _a, deliver_policy: _p, replay_policy: _rp, ...updatable } = config;
  await jsm.consumers.update(stream, durable, updatable);
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
  const names = deploymentNames(options.deployment);
  for (const def of options.streams ?? Object.values(engineStreams)) {
    const r = await ensureStream(jsm, def, names);
    const name = names.stream(def.name);
    report.streams.push({ name, ...r });
    if (r.action !== 'unchanged') options.log?.info({ stream: name, ...r }, 'stream provisioned');
  }
  const consumers: readonly DurableDefinition[] = options.consumers ?? Object.values(engineConsumers);
  for (const def of consumers) {
    const r = await ensureConsumer(jsm, def, names);
    const wire = { stream: names.stream(def.stream), name: names.durable(def.name) };
    report.consumers.push({ ...wire, ...r });
    if (r.action !== 'unchanged') {
      options.log?.info({ stream: wire.stream, consumer: wire.name, ...r }, 'consumer provisioned');
    }
  }
  return report;
}
