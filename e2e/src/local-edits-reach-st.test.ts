import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createMessage } from '@pricebook/contracts';
import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import {
  api,
  localRows,
  outboxDrained,
  rows,
  startFromFullSync,
  stRecords,
  sync,
  test,
} from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 60, seed: 31 } } });

// The three ways a local edit is made — the pricebook API, an inbound message from another
// system, plain SQL — all reach ServiceTitan on the next to_st sync, each with exactly one audit
// row and one public event.
describe('local edits from every writer reach ServiceTitan', () => {
  startFromFullSync();

  test('an API edit, an inbound message and a SQL update are each pushed, once audited and once announced', async ({
    stack,
    sql: db,
  }) => {
    const history = async (stId: number) =>
      (
        await rows<{ audit: string; events: string; status: string; origins: string[] }>(
          db,
          `select (select count(*) from pricebook_changes c where c.record_id = m.id and c.operation <> 'create') as audit,
                  (select count(*) from pricebook_outbox o where o.payload ->> 'recordId' = m.id::text
                     and o.event_type like 'record.%' and o.event_type <> 'record.created') as events,
                  (select array_agg(c.origin) from pricebook_changes c where c.record_id = m.id and c.operation <> 'create') as origins,
                  m.sync_status as status
             from pricebook_materials m where m.st_id = $1`,
          [stId],
        )
      )[0];

    const [viaApi, viaInbound, viaSql] = [...(await localRows(db, 'materials')).keys()].sort((a, b) => a - b);
    if (viaApi === undefined || viaInbound === undefined || viaSql === undefined)
      throw new Error('no materials');

    // An ordinary price edit (a tenth up), well inside what the push brake lets through.
    const newPrice =
      Math.round(Number((await localRows(db, 'materials')).get(viaApi)?.data.price) * 110) / 100;
    const patched = await api(stack, 'PATCH', `/api/pricebook/materials/st:${viaApi}`, { price: newPrice });
    expect(patched.status).toBe(200);

    const nc = await connect({ servers: stack.nats.url });
    try {
      const message = createMessage('inbound.upsert', {
        id: `vendor-feed:e2e:${viaInbound}`,
        tenant: stack.sandbox.tenantId,
        correlationId: 'vendor-feed:e2e',
        causationId: null,
        data: { entity: 'materials', stId: viaInbound, record: { cost: 12.75 }, actor: 'vendor-cost-feed' },
      });
      await jetstream(nc).publish(
        `pricebook.inbound.${stack.sandbox.tenantId}.materials.upsert.v1`,
        JSON.stringify(message),
        {
          msgID: message.id,
        },
      );
    } finally {
      await nc.close();
    }
    await until(
      'the inbound edit',
      async () => (await history(viaInbound))?.status === 'pending_sync',
      30_000,
    );

    await db.query('update pricebook_materials set display_name = $2 where st_id = $1', [
      viaSql,
      'Edited in SQL',
    ]);

    const result = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(result).toMatchObject({ status: 'completed' });
    await outboxDrained(db);

    const st = (await stRecords(stack)).materials;
    expect(st.get(viaApi)?.price).toBe(newPrice);
    expect(st.get(viaInbound)?.cost).toBe(12.75);
    expect(st.get(viaSql)?.displayName).toBe('Edited in SQL');

    for (const [stId, origin] of [
      [viaApi, 'local'],
      [viaInbound, 'inbound'],
      [viaSql, 'local'],
    ] as const) {
      const h = await history(stId);
      expect(h, `material ${stId}`).toMatchObject({
        audit: '1',
        events: '1',
        status: 'synced',
        origins: [origin],
      });
    }
  });
});
