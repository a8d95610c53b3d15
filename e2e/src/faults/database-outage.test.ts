import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createMessage, type Message, messageSubject } from '@pricebook/contracts';
import { type PrivatePostgres, type Stack, startPrivatePostgres, startStack } from '@pricebook/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, localRows, rows, stRecords, sync } from '../test-support';

/**
 * Longer than every retry budget of the catalog: before the fix, about 2 minutes of downtime
 * used up a resolution's or a push's five deliveries and about 4.5 minutes an inbound edit's eight.
 */
const outageMs = 6 * 60_000;

type ConflictList = { conflicts: Array<{ id: string; stId: number }> };

// Invariant 10: PostgreSQL stopped for longer than every retry budget while an integrator's edit,
// a person's resolution and a push command are published; once it is back all three are applied,
// nothing is dead-lettered, and meanwhile the API answers 503 naming the database.
describe('a database outage', () => {
  let cluster: PrivatePostgres;
  let stack: Stack;

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
    stack = await startStack({ postgresUrl: cluster.url, sandbox: { items: 40, seed: 11 } });
    expect(await sync(stack, 'full')).toMatchObject({ status: 'completed' });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.close();
  });

  /** A fresh connection for each question: the database goes away in between. */
  async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  }
  const query = <T>(text: string, values: unknown[] = []) => withClient((c) => rows<T>(c, text, values));
  const materials = () => withClient((c) => localRows(c, 'materials'));

  async function publishAll(messages: Message[]) {
    const nc = await connect({ servers: stack.nats.url });
    try {
      const js = jetstream(nc);
      for (const m of messages) await js.publish(messageSubject(m), JSON.stringify(m), { msgID: m.id });
    } finally {
      await nc.close();
    }
  }

  it(
    'lasting longer than every retry budget loses no inbound edit, resolution or push',
    async () => {
      const tenant = stack.sandbox.tenantId;
      const [inboundStId, conflictStId, pushStId] = [...(await materials()).keys()]
        .sort((a, b) => a - b)
        .slice(0, 3);
      if (inboundStId === undefined || conflictStId === undefined || pushStId === undefined)
        throw new Error('too few materials');

      // An open conflict: the same price changed in ServiceTitan and locally, then a manual sync.
      await stack.sandbox.control.editItem('materials', conflictStId, { price: 707.25 });
      await query(
        `update pricebook_materials set data = jsonb_set(data, '{price}', '808.5') where st_id = $1`,
        [conflictStId],
      );
      const found = await sync(stack, 'full', { resolveConflicts: 'manual', entityTypes: ['materials'] });
      expect(found.status).toBe('completed');
      const list = await api<ConflictList>(
        stack,
        'GET',
        '/api/sync/pricebook/conflicts?entityType=materials',
      );
      const conflict = list.body.conflicts.find((c) => c.stId === conflictStId);
      if (!conflict)
        throw new Error(`no conflict for material ${conflictStId}: ${JSON.stringify(list.body)}`);
      // A local edit for the push command to carry to ServiceTitan.
      const patched = await api(stack, 'PATCH', `/api/pricebook/materials/st:${pushStId}`, { price: 919.75 });
      expect(patched.status).toBe(200);
      const [pushRow] = await query<{ id: string }>('select id from pricebook_materials where st_id = $1', [
        pushStId,
      ]);
      if (!pushRow) throw new Error('no row to push');

      await cluster.stop();
      const outageStarted = Date.now();

      const down = await api<Record<string, unknown>>(stack, 'GET', '/api/sync/pricebook/conflicts');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: 'unavailable', detail: 'Database connection failed' });
      expect(down.body.dependency).toBe('database');
      const ready = await fetch(`${stack.api.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toContain('application/problem+json');
      expect(await ready.json()).toMatchObject({ dependency: 'database' });

      await publishAll([
        createMessage('inbound.upsert', {
          id: `vendor-feed:outage:${inboundStId}`,
          tenant,
          correlationId: 'vendor-feed:outage',
          data: { entity: 'materials', stId: inboundStId, record: { cost: 41.5 }, actor: 'vendor-cost-feed' },
        }),
        createMessage('resolve.command', {
          id: `resolve:${conflict.id}:${randomUUID()}`,
          tenant,
          correlationId: conflict.id,
          data: { conflictId: conflict.id, strategy: 'keep_st', resolvedBy: 'outage@example.com' },
        }),
        createMessage('push.command', {
          id: `push:outage:${pushRow.id}`,
          tenant,
          correlationId: randomUUID(),
          data: {
            syncLogId: randomUUID(),
            entityTypes: ['materials'],
            recordIds: [pushRow.id],
            // A standalone push of a price set by hand; the brake is not what this test is about.
            allowMassChange: true,
          },
        }),
      ]);

      // The outage itself: a fault's duration, not a wait for a result.
      await sleep(outageMs - (Date.now() - outageStarted));
      const stillDown = await api(stack, 'GET', '/api/pricebook/materials');
      expect(stillDown.status).toBe(503);
      await cluster.start();

      await vi.waitFor(
        async () => {
          const [inbound] = await query<{ cost: number }>(
            `select (data ->> 'cost')::float8 as cost from pricebook_materials where st_id = $1`,
            [inboundStId],
          );
          expect(inbound?.cost).toBe(41.5);
          const [resolved] = await query<{ status: string }>(
            'select status from pricebook_sync_conflicts where id = $1',
            [conflict.id],
          );
          expect(resolved?.status).toBe('resolved');
          const [pushed] = await query<{ sync_status: string }>(
            'select sync_status from pricebook_materials where id = $1',
            [pushRow.id],
          );
          expect(pushed?.sync_status).toBe('synced');
        },
        { timeout: 120_000, interval: 1_000 },
      );

      const st = (await stRecords(stack)).materials;
      const local = await materials();
      expect(local.get(conflictStId)?.data.price).toBe(707.25);
      expect(st.get(conflictStId)?.price).toBe(707.25);
      expect(local.get(pushStId)?.data.price).toBe(919.75);
      expect(st.get(pushStId)?.price).toBe(919.75);
      expect(local.get(inboundStId)?.sync_status).toBe('pending_sync');
      expect(await query('select reason from pricebook_dead_letters')).toEqual([]);
      expect(
        await query(
          `select id, status from pricebook_sync_log where status in ('queued', 'running', 'pushing')`,
        ),
      ).toEqual([]);
    },
    15 * 60_000,
  );
});
