import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createMessage, stContentHash } from '@pricebook/contracts';
import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { api, counts, test as endToEndTest, localRows, rows, startFromFullSync, sync } from '../test-support';
import { expectConverged, settled } from '../test-support/checker';

/** The file's tests also speak to NATS directly, as another process would. */
const test = endToEndTest.extend<{ nc: NatsConnection }>({
  nc: [
    async ({ stack }, use) => {
      const nc = await connect({ servers: stack.nats.url });
      try {
        await use(nc);
      } finally {
        await nc.close();
      }
    },
    { scope: 'file' },
  ],
});

test.scoped({ stackOptions: { sandbox: { items: 300, seed: 17 } } });

// Invariant 3 (any message may arrive twice, late or out of order; the end state is the same)
// and 7 (a poison message is terminated with its reason and the rest goes on).
describe('duplicate, late and poison messages', () => {
  startFromFullSync();

  test('a late observation of an older ST version never takes a record back', async ({
    stack,
    sql: db,
    nc,
  }) => {
    const [stId, before] = [...(await localRows(db, 'materials'))][0] ?? [];
    if (stId === undefined || !before) throw new Error('no materials');
    await stack.sandbox.control.editItem('materials', stId, { price: 4321 });
    const incremental = await sync(stack, 'incremental');
    expect(incremental.status).toBe('completed');
    await settled(db);
    const after = (await localRows(db, 'materials')).get(stId);
    expect(after?.data.price).toBe(4321);
    const was = await counts(db);

    // The old version arrives once more, late, as part of the sync that already applied the new one.
    const old = before.data as { id: number; modifiedOn: string };
    const late = createMessage('record.observed', {
      id: `late:${incremental.syncLogId}:${stId}`,
      tenant: stack.sandbox.tenantId,
      correlationId: incremental.syncLogId,
      causationId: null,
      data: {
        syncLogId: incremental.syncLogId,
        entity: 'materials',
        stId,
        modifiedOn: old.modifiedOn,
        record: old,
        hash: stContentHash('materials', old),
      },
    });
    await jetstream(nc).publish(
      `pricebook.pipe.${stack.sandbox.tenantId}.materials.observed.v1`,
      JSON.stringify(late),
      {
        msgID: late.id,
      },
    );
    await until(
      'the late message to be handled',
      async () => {
        const info = await (await jetstream(nc).consumers.get('PRICEBOOK_PIPELINE', 'comparator')).info();
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      30_000,
    );
    await settled(db);
    expect((await localRows(db, 'materials')).get(stId)?.data.price).toBe(4321);
    expect(await counts(db)).toEqual(was);
  });

  test('an inbound edit delivered twice is applied once, and a poison message is refused with its reason while the rest goes on', async ({
    stack,
    sql: db,
    nc,
  }) => {
    const equipment = await localRows(db, 'equipment');
    const [first, second] = [...equipment.keys()];
    if (first === undefined || second === undefined) throw new Error('no equipment');
    // Ordinary price edits (a tenth up), well inside what the push brake lets through.
    const raised = (stId: number) => Math.round(Number(equipment.get(stId)?.data.price) * 110) / 100;
    const [firstPrice, secondPrice] = [raised(first), raised(second)];
    const js = jetstream(nc);
    const subject = `pricebook.inbound.${stack.sandbox.tenantId}.equipment.upsert.v1`;
    const edit = (id: string, stId: number, price: number) =>
      createMessage('inbound.upsert', {
        id,
        tenant: stack.sandbox.tenantId,
        correlationId: 'fault-suite',
        causationId: null,
        data: { entity: 'equipment', stId, record: { price }, actor: 'fault-suite' },
      });
    const was = await counts(db);

    // The same edit twice under two message ids (a publisher that retried after losing the ack).
    await js.publish(subject, JSON.stringify(edit('dup-1', first, firstPrice)), { msgID: 'dup-1' });
    await js.publish(subject, JSON.stringify(edit('dup-2', first, firstPrice)), { msgID: 'dup-2' });
    // Poison: not JSON at all, and a well-formed message for an entity its subject does not name.
    await js.publish(subject, '{"this is": not json', { msgID: 'poison-1' });
    await js.publish(subject, JSON.stringify({ ...edit('poison-2', second, 1), type: 'inbound.nothing' }), {
      msgID: 'poison-2',
    });
    await js.publish(subject, JSON.stringify(edit('after-poison', second, secondPrice)), {
      msgID: 'after-poison',
    });

    await until(
      'the edit after the poison messages',
      async () => (await localRows(db, 'equipment')).get(second)?.data.price === secondPrice,
      60_000,
    );
    expect((await localRows(db, 'equipment')).get(first)?.data.price).toBe(firstPrice);
    const now = await counts(db);
    expect(now.changes - was.changes).toBe(2);

    const rejected = await api<{ rejections: { reason: string }[] }>(
      stack,
      'GET',
      '/api/sync/pricebook/rejections',
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.rejections).toHaveLength(2);
    for (const r of rejected.body.rejections) expect(r.reason).toBeTruthy();

    // The edits are pushed by the next sync; everything else converges with the two refusals kept.
    await sync(stack, 'incremental', { direction: 'bidirectional' });
    await expectConverged(stack, db, { deadLetters: 2 });
    const [pending] = await rows<{ n: string }>(
      db,
      `select count(*) as n from pricebook_equipment where sync_status <> 'synced'`,
    );
    expect(pending?.n).toBe('0');
  });
});
