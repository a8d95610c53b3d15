/**
 * One stage of the messaging floor, as its own process (`node --import tsx floor-stage.ts <role>`),
 * started by `messaging-floor.ts`. It imports no product code: only the NATS client, so what it
 * measures is the design's shape (one JetStream message per record per hop, durable pull
 * consumers, explicit acks, deterministic `Nats-Msg-Id`) and nothing else.
 *
 * Roles: `fetcher` publishes one `record.observed` per record; `comparator` turns each into a
 * `record.decided`; `applier` turns each into a public `record.created`; `sink` is a subscriber's
 * durable on the events stream and counts them. Each relay acks its input only after its own
 * publish is acknowledged. Protocol on stdout: `ready`, then `start <epoch ms>` (fetcher, at its
 * first publish) or `done <epoch ms> <count>` (sink, at the last event).
 */
import { type JsMsg, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { floorRecord } from './floor-records';

export type FloorRole = 'fetcher' | 'comparator' | 'applier' | 'sink';

export interface FloorStageConfig {
  url: string;
  records: number;
  tenant: string;
  syncId: string;
  /** Publishes in flight at once (the product's publish concurrency). */
  window: number;
  /** Messages per pull (the product's consumer batch size). */
  batch: number;
  /** The durable this stage reads (every role but the fetcher). */
  input?: { stream: string; durable: string };
  /** Where this stage publishes (every role but the sink). */
  output?: { stream: string; subject: string };
}

interface Envelope {
  id: string;
  type: string;
  version: 1;
  occurredAt: string;
  tenant: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
}

const now = () => performance.timeOrigin + performance.now();
const encoder = new TextEncoder();

/** A bounded set of publishes in flight; `push` waits while it is full. */
function publishWindow(limit: number) {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  return {
    async push(task: Promise<void>): Promise<void> {
      const tracked: Promise<void> = task
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure) throw failure.error;
    },
    async drain(): Promise<void> {
      await Promise.all(inFlight);
      if (failure) throw failure.error;
    },
  };
}

function envelope(
  cfg: FloorStageConfig,
  type: string,
  id: string,
  causationId: string | null,
  data: Envelope['data'],
): Envelope {
  return {
    id,
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    tenant: cfg.tenant,
    correlationId: cfg.syncId,
    causationId,
    data,
  };
}

/** What the comparator makes of an observed record with no local row: a create decision. */
function decide(cfg: FloorStageConfig, m: Envelope): Envelope {
  const { syncLogId, entity, stId, record, hash, modifiedOn } = m.data;
  return envelope(cfg, 'record.decided', `${m.id}:decided`, m.id, {
    syncLogId,
    entity,
    stId,
    action: 'create',
    record,
    hash,
    modifiedOn,
  });
}

/** What the applier publishes once a decision is applied: the public event. */
function announce(cfg: FloorStageConfig, m: Envelope): Envelope {
  const { syncLogId, entity, stId, record } = m.data;
  return envelope(cfg, 'record.created', `${m.id}:created`, m.id, { syncLogId, entity, stId, record });
}

async function main(): Promise<void> {
  const role = process.argv[2] as FloorRole;
  const cfg = JSON.parse(process.env.FLOOR_STAGE ?? '{}') as FloorStageConfig;
  const nc = await connect({ servers: cfg.url, name: `floor-${role}` });
  const js = jetstream(nc);
  const window = publishWindow(cfg.window);
  const publish = (out: Envelope) => {
    const target = cfg.output;
    if (!target) throw new Error(`${role} has no output`);
    return js.publish(target.subject, encoder.encode(JSON.stringify(out)), {
      msgID: out.id,
      expect: { streamName: target.stream },
    });
  };

  if (role === 'fetcher') {
    console.log('ready');
    console.log(`start ${now()}`);
    for (let n = 0; n < cfg.records; n++) {
      const record = floorRecord(n);
      const id = `${cfg.syncId}:materials:${record.id}:${record.modifiedOn}`;
      const hash = record.id.toString(16).padStart(64, '0');
      const data = {
        syncLogId: cfg.syncId,
        entity: 'materials',
        stId: record.id,
        modifiedOn: record.modifiedOn,
        record,
        hash,
      };
      await window.push(
        publish(envelope(cfg, 'record.observed', id, `sync:${cfg.syncId}`, data)).then(() => undefined),
      );
    }
    await window.drain();
    // Stays connected until stopped, so its peak memory can still be read.
    console.log(`published ${now()}`);
    return;
  }

  const input = cfg.input;
  if (!input) throw new Error(`${role} has no input`);
  const consumer = await js.consumers.get(input.stream, input.durable);
  const messages = await consumer.consume({ max_messages: cfg.batch });
  console.log('ready');
  let count = 0;
  for await (const msg of messages) {
    // Parse once, as the product's consumer runner does (without its zod check).
    const m = JSON.parse(msg.string()) as Envelope;
    if (role === 'sink') {
      msg.ack();
      if (++count === cfg.records) {
        console.log(`done ${now()} ${count}`);
        await nc.flush();
      }
      continue;
    }
    const out = role === 'comparator' ? decide(cfg, m) : announce(cfg, m);
    await window.push(publish(out).then(() => ack(msg)));
  }
}

/** Explicit ack once the message this one caused is stored. */
function ack(msg: JsMsg): void {
  msg.ack();
}

await main();
