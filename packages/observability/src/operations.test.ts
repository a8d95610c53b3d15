import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { consumers } from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import {
  createTestDatabase,
  freePort,
  startTestNats,
  type TestDatabase,
  type TestNats,
} from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Operations, startOperations } from './operations';
import { parsePrometheusText, sampleValue } from './test-support';

const log = createLogger({ service: 'observability-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const defs = [consumers.comparator];

let db: TestDatabase;
let orm: Orm;
let server: TestNats;
let nc: NatsConnection;
let ops: Operations;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase('pb_observability');
  await migrate(db.url);
  orm = await createOrm(db.url, { poolMax: 2 });
  server = await startTestNats();
  // As connectNats does: reconnect forever, so the probe can see NATS come back.
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  await provision(await jetstreamManager(nc), { consumers: defs });
  ops = await startOperations({
    service: 'comparator',
    port: await freePort(),
    host: '127.0.0.1',
    log,
    nc,
    orm,
    consumers: defs,
    outboxBacklog: true,
  });
  base = `http://127.0.0.1:${ops.server?.port}`;
});
afterAll(async () => {
  await ops?.close();
  await nc?.close();
  await server?.close();
  await orm?.close();
  await db?.drop();
});

async function get(path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Polls until `probe` holds; a guard against hanging, not a timed assertion. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

async function scrape() {
  const res = await get('/metrics');
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.text);
}

describe('health server', () => {
  it('/healthz answers alive', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 with every check ok', async () => {
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      status: 'ready',
      checks: { nats: 'ok', database: 'ok', consumers: 'ok' },
    });
  });

  it('/readyz turns 503 naming NATS while the server is down, and 200 once it is back', async () => {
    await server.stop();
    try {
      await until('readyz 503', async () => (await get('/readyz')).status === 503);
      const body = JSON.parse((await get('/readyz')).text) as {
        status: string;
        checks: Record<string, string>;
      };
      expect(body.status).toBe('not_ready');
      expect(body.checks.database).toBe('ok');
      expect(body.checks.nats).not.toBe('ok');
    } finally {
      await server.start();
    }
    await until('readyz 200', async () => (await get('/readyz')).status === 200);
    expect(JSON.parse((await get('/readyz')).text).checks).toEqual({
      nats: 'ok',
      database: 'ok',
      consumers: 'ok',
    });
  });

  it('/readyz is 503 naming the consumer when its durable is gone', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(consumers.comparator.stream, consumers.comparator.name);
    try {
      const res = await get('/readyz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).checks.consumers).toBe('consumer not available: comparator');
    } finally {
      await provision(jsm, { consumers: defs });
    }
    expect((await get('/readyz')).status).toBe(200);
  });

  it('/readyz is 503 naming the consumer paused for an outage and what it waits for, 200 once resumed', async () => {
    ops.metrics.waiting('comparator', 'database');
    try {
      const res = await get('/readyz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).checks.consumers).toBe('paused: comparator waits for database');
      const samples = await scrape();
      expect(
        sampleValue(samples, 'pricebook_consumer_waiting', {
          consumer: 'comparator',
          dependency: 'database',
        }),
      ).toBe(1);
    } finally {
      ops.metrics.waiting('comparator', undefined);
    }
    expect((await get('/readyz')).status).toBe(200);
  });

  it('answers 404 for anything else', async () => {
    expect((await get('/nope')).status).toBe(404);
  });
});

describe('/metrics', () => {
  it('is valid Prometheus text with process metrics and every engine metric', async () => {
    const samples = await scrape();
    const names = new Set(samples.map((s) => s.name));
    expect(names.has('process_cpu_seconds_total')).toBe(true);
    expect(names.has('nodejs_eventloop_lag_seconds')).toBe(true);
    for (const name of [
      'pricebook_st_rate_limited_total',
      'pricebook_st_retries_total',
      'pricebook_outbox_backlog',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(samples.every((s) => s.labels.service === 'comparator')).toBe(true);
  });

  it('reports the pending messages of each consumer from JetStream', async () => {
    const js = jetstream(nc);
    for (const id of [1, 2, 3]) {
      await js.publish('pricebook.pipe.1001.materials.observed.v1', '{}', { msgID: `pending-${id}` });
    }
    const samples = await scrape();
    expect(sampleValue(samples, 'pricebook_consumer_pending_messages', { consumer: 'comparator' })).toBe(3);
    expect(sampleValue(samples, 'pricebook_consumer_ack_pending_messages', { consumer: 'comparator' })).toBe(
      0,
    );
  });

  it('reports the outbox backlog: unpublished rows only', async () => {
    const sql = (q: string) => orm.em.fork().execute(q);
    await sql(`insert into pricebook_outbox (tenant_id, subject, event_type, payload)
               select 1001, 'pricebook.events.1001.materials.created.v1', 'record.created', '{}'::jsonb
                 from generate_series(1, 5)`);
    expect(sampleValue(await scrape(), 'pricebook_outbox_backlog')).toBe(5);
    await sql(`update pricebook_outbox set published_at = now()
                where id in (select id from pricebook_outbox order by seq limit 2)`);
    expect(sampleValue(await scrape(), 'pricebook_outbox_backlog')).toBe(3);
  });

  it('counts settled messages and applied records', async () => {
    ops.metrics.settled('comparator', 'ack', 4);
    ops.metrics.settled('comparator', 'term');
    ops.metrics.applied('materials', 'created', 2);
    const samples = await scrape();
    expect(
      sampleValue(samples, 'pricebook_consumer_messages_total', { consumer: 'comparator', outcome: 'ack' }),
    ).toBe(4);
    expect(
      sampleValue(samples, 'pricebook_consumer_messages_total', { consumer: 'comparator', outcome: 'term' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'pricebook_records_total', { operation: 'created', entity: 'materials' }),
    ).toBe(2);
  });
});
