import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type ConflictStrategy,
  type ConsumerDefinition,
  consumers,
  createMessage,
  type EntityType,
  entityTables,
  type Message,
  messageIds,
  parseMessage,
  stContentHash,
  streams,
} from '@pricebook/contracts';
import { createOrm, type EntityManager, migrate, type Orm, setWriteContext } from '@pricebook/db';
import { createLogger, type Logger } from '@pricebook/logger';
import { type Delivery, provision } from '@pricebook/messaging';
import { createTestDatabase, startTestNats, type TestDatabase, type TestNats } from '@pricebook/testing';

/** Test-only helpers of the comparator's tests (not exported by the service). */

export const tenant = '1000001';
export const silentLog = createLogger({ service: 'comparator-test', level: 'silent' });

/** The comparator's durable with a short ack wait, so a failed batch comes back quickly. */
export const testComparatorConsumer = {
  ...consumers.comparator,
  ackWaitMs: 5_000,
} satisfies ConsumerDefinition;

export interface ComparatorWorld {
  db: TestDatabase;
  orm: Orm;
  nats: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** SQL statements the ORM ran, as logged at debug level. */
  sqlLog: string[];
  close(): Promise<void>;
}

/** A logger that keeps the ORM's SQL lines. */
function sqlCapture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { msg?: string };
        if (entry.msg) lines.push(entry.msg);
      }
      done();
    },
  });
  return { log: createLogger({ service: 'comparator-test', level: 'debug', destination }), lines };
}

/**
 * A migrated database, a private JetStream with the engine's streams, the comparator's durable
 * and a plain reader of the decided subjects (the applier's durables are left out).
 */
export async function startWorld(): Promise<ComparatorWorld> {
  const [db, nats] = await Promise.all([createTestDatabase('pb_comparator'), startTestNats()]);
  await migrate(db.url);
  const sql = sqlCapture();
  const orm = await createOrm(db.url, { poolMax: 4, logger: sql.log });
  const nc = await connect({ servers: nats.url, name: 'comparator-test' });
  const jsm = await jetstreamManager(nc);
  await provision(jsm, { streams: Object.values(streams), consumers: [testComparatorConsumer] });
  await jsm.consumers.add('PRICEBOOK_PIPELINE', {
    durable_name: 'test-decided',
    filter_subject: 'pricebook.pipe.*.*.decided.v1',
    ack_policy: AckPolicy.Explicit,
  });
  return {
    db,
    orm,
    nats,
    nc,
    js: jetstream(nc),
    jsm,
    sqlLog: sql.lines,
    async close() {
      await nc.close();
      await orm.close();
      await Promise.all([db.drop(), nats.close()]);
    },
  };
}

/** A `pricebook_sync_log` row with the given conflict strategy; returns its id. */
export async function createSyncLog(
  world: ComparatorWorld,
  resolveConflicts?: ConflictStrategy,
): Promise<string> {
  const id = randomUUID();
  const options = resolveConflicts ? { resolveConflicts } : {};
  await world.orm.em.fork().execute(
    `insert into pricebook_sync_log (id, tenant_id, sync_type, direction, options)
       values (?, ?, 'full', 'from_st', ?::jsonb)`,
    [id, tenant, JSON.stringify(options)],
  );
  return id;
}

export interface SeedRow {
  entity?: EntityType;
  stId: number;
  /** The record as ST last sent it: `data`, `base` and the content hash. */
  st: Record<string, unknown>;
  /** A local edit made afterwards in plain SQL (no engine origin): the row becomes `pending_sync`. */
  localEdit?: Record<string, unknown>;
  /** Soft-deleted by the engine (`synced`) or, with `localDelete`, by a local edit. */
  engineDeleted?: boolean;
  localDelete?: boolean;
  hasConflict?: boolean;
  tenantId?: string;
}

/** Inserts a row as the engine would after a sync, then applies the local edits, if any. */
export async function seedRow(
  world: ComparatorWorld,
  seed: SeedRow,
): Promise<{ id: string; version: number }> {
  const table = entityTables[seed.entity ?? 'materials'];
  const hash = stContentHash(seed.entity ?? 'materials', seed.st);
  const rows = await world.orm.em.fork().transactional(async (em: EntityManager) => {
    await setWriteContext(em, { origin: 'st' });
    return em.execute<{ id: string }[]>(
      `insert into ${table} (tenant_id, st_id, data, base, content_hash, sync_status, has_conflict, deleted_at, last_synced_at)
       values (?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ${seed.engineDeleted ? 'now()' : 'null'}, now()) returning id`,
      [
        seed.tenantId ?? tenant,
        seed.stId,
        JSON.stringify(seed.st),
        JSON.stringify(seed.st),
        hash,
        seed.hasConflict ? 'conflict' : 'synced',
        seed.hasConflict === true,
      ],
    );
  });
  const id = rows[0]?.id;
  if (!id) throw new Error('row not inserted');
  const plain = world.orm.em.fork();
  if (seed.localEdit) {
    await plain.execute(`update ${table} set data = data || ?::jsonb where id = ?`, [
      JSON.stringify(seed.localEdit),
      id,
    ]);
  }
  if (seed.localDelete) await plain.execute(`update ${table} set deleted_at = now() where id = ?`, [id]);
  const [row] = await plain.execute<{ version: number }[]>(`select version from ${table} where id = ?`, [id]);
  return { id, version: row?.version ?? 0 };
}

/** A `record.observed` message for the test tenant. */
export function observed(
  syncLogId: string,
  stId: number,
  record: Record<string, unknown>,
  extra: { entity?: EntityType; deleted?: boolean; tenant?: string } = {},
): Message<'record.observed'> {
  const entity = extra.entity ?? 'materials';
  const modifiedOn =
    typeof record.modifiedOn === 'string' ? record.modifiedOn : '2025-01-01T00:00:00.0000000Z';
  return createMessage('record.observed', {
    id: messageIds.observed({ syncLogId, entity, stId, modifiedOn }),
    tenant: extra.tenant ?? tenant,
    correlationId: syncLogId,
    causationId: messageIds.syncCommand(syncLogId),
    data: {
      syncLogId,
      entity,
      stId,
      modifiedOn,
      record: { ...record, id: stId },
      hash: stContentHash(entity, { ...record, id: stId }),
      ...(extra.deleted ? { deleted: true } : {}),
    },
  });
}

/** A delivery as the runner hands it to the handler. */
export function delivery(
  message: Message<'record.observed'>,
  streamSeq = 1,
  deliveryCount = 1,
): Delivery<'record.observed'> {
  return {
    message,
    subject: `pricebook.pipe.${message.tenant}.${message.data.entity}.observed.v1`,
    streamSeq,
    deliveryCount,
  };
}

/** Takes (and acks) every decided message now stored. */
export async function drainDecided(world: ComparatorWorld): Promise<Message<'record.decided'>[]> {
  const out: Message<'record.decided'>[] = [];
  const consumer = await world.js.consumers.get('PRICEBOOK_PIPELINE', 'test-decided');
  for (;;) {
    const { num_pending: pending, num_ack_pending: unacked } = await consumer.info();
    if (pending + unacked === 0) return out;
    for await (const m of await consumer.fetch({ max_messages: 1_000, expires: 1_000 })) {
      const parsed = parseMessage(m.subject, m.json());
      if (!parsed.success || parsed.message.type !== 'record.decided')
        throw new Error(`unexpected message on ${m.subject}`);
      out.push(parsed.message);
      await m.ackAck();
    }
  }
}

/** Decided messages stored now (not yet taken by the reader). */
export async function decidedCount(world: ComparatorWorld): Promise<number> {
  const info = await world.jsm.consumers.info('PRICEBOOK_PIPELINE', 'test-decided');
  return info.num_pending;
}

/** Observed messages not yet settled by the comparator. */
export async function observedSettled(world: ComparatorWorld): Promise<boolean> {
  const info = await world.jsm.consumers.info('PRICEBOOK_PIPELINE', testComparatorConsumer.name);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

export { until } from '@pricebook/testing/vitest';
