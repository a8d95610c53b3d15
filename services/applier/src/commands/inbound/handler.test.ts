import { randomUUID } from 'node:crypto';
import {
  consumers,
  createMessage,
  type Message,
  type MessageDataInput,
  subjects,
} from '@pricebook/contracts';
import { publish } from '@pricebook/messaging';
import { beforeEach, describe, expect, it } from 'vitest';
import { material, tenant, testTenants, useConsumerWorld } from '../../test-support';
import { inboundCreateId } from './edits';
import { createInboundHandler } from './handler';

const h = useConsumerWorld(consumers.inbound, (h) =>
  createInboundHandler({ orm: h.orm, tenants: testTenants(h) }),
);
beforeEach(async () => {
  await h.seedRows([material(48213), material(48214)]);
});

const settled = () => h.settled(consumers.inbound);

function upsert(
  data: MessageDataInput<'inbound.upsert'>,
  id = `test:${randomUUID()}`,
): Message<'inbound.upsert'> {
  return createMessage('inbound.upsert', { id, tenant, correlationId: 'test-run', causationId: null, data });
}
function remove(data: MessageDataInput<'inbound.delete'>): Message<'inbound.delete'> {
  return createMessage('inbound.delete', {
    id: `test:${randomUUID()}`,
    tenant,
    correlationId: 'test-run',
    causationId: null,
    data,
  });
}
const subjectOf = (m: Message<'inbound.upsert' | 'inbound.delete'>) =>
  subjects.inbound(tenant, m.data.entity, m.type === 'inbound.upsert' ? 'upsert' : 'delete');

async function send(...messages: Array<Message<'inbound.upsert' | 'inbound.delete'>>): Promise<void> {
  for (const m of messages) await publish(h.js, m);
  await settled();
}
/** The same message delivered once more (a new `Nats-Msg-Id`, so JetStream does not drop it). */
async function sendAgain(m: Message<'inbound.upsert' | 'inbound.delete'>): Promise<void> {
  await h.js.publish(subjectOf(m), JSON.stringify(m), { msgID: `${m.id}:again:${randomUUID()}` });
  await settled();
}

const audit = () =>
  h.sql<{
    operation: string;
    origin: string;
    actor: string | null;
    record_id: string;
    changed_fields: string[];
  }>('select * from pricebook_changes order by seq');
const row = async (stId: number) =>
  (
    await h.sql<{
      id: string;
      data: Record<string, unknown>;
      sync_status: string;
      deleted_at: string | null;
    }>('select id, data, sync_status, deleted_at from pricebook_materials where st_id = ?', [stId])
  )[0];

describe('inbound edits', () => {
  it('puts each batch in one change-set of kind inbound', async () => {
    await send(
      upsert({ entity: 'materials', stId: 48213, record: { cost: 19.2 }, actor: 'vendor-cost-feed' }),
      upsert({ entity: 'materials', stId: 48214, record: { cost: 19.3 }, actor: 'vendor-cost-feed' }),
    );
    const rows = await h.sql<{ kind: string | null; actor: string | null }>(
      `select s.kind, s.actor from pricebook_changes c left join pricebook_changesets s on s.id = c.changeset_id
        where c.origin = 'inbound'`,
    );
    expect(rows).toEqual([
      { kind: 'inbound', actor: 'vendor-cost-feed' },
      { kind: 'inbound', actor: 'vendor-cost-feed' },
    ]);
  });

  it('updates by stId and by recordId as inbound edits with the actor', async () => {
    const target = await row(48214);
    await send(
      upsert({ entity: 'materials', stId: 48213, record: { cost: 19.1 }, actor: 'vendor-cost-feed' }),
      upsert({ entity: 'materials', recordId: target?.id, record: { price: 99 } }),
    );
    expect((await row(48213))?.data.cost).toBe(19.1);
    expect(await row(48213)).toMatchObject({ sync_status: 'pending_sync' });
    expect((await row(48214))?.data.price).toBe(99);
    const changes = await audit();
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({
      origin: 'inbound',
      actor: 'vendor-cost-feed',
      changed_fields: ['cost'],
    });
    expect(changes[1]).toMatchObject({ origin: 'inbound', actor: 'inbound', changed_fields: ['price'] });
    expect(await h.count('select count(*) as n from pricebook_outbox')).toBe(2);
  });

  it('creates a row with the id derived from the message, once however often it comes', async () => {
    const message = upsert(
      { entity: 'materials', record: { code: 'NEW-1', description: 'from n8n' }, actor: 'n8n' },
      'n8n:run-1:create:NEW-1',
    );
    await send(message);
    await sendAgain(message);
    const created = await h.sql<{ id: string; st_id: string | null; sync_status: string }>(
      `select id, st_id, sync_status from pricebook_materials where code = 'NEW-1'`,
    );
    expect(created).toEqual([{ id: inboundCreateId(message), st_id: null, sync_status: 'pending_sync' }]);
    expect((await audit()).map((c) => c.operation)).toEqual(['create']);
  });

  it('soft-deletes, and a redelivered delete or upsert writes nothing twice', async () => {
    const edit = upsert({ entity: 'materials', stId: 48213, record: { price: 1.5 } });
    const del = remove({ entity: 'materials', stId: 48214, actor: 'n8n' });
    await send(edit, del);
    await sendAgain(edit);
    await sendAgain(del);
    expect((await row(48214))?.deleted_at).not.toBeNull();
    expect((await audit()).map((c) => [c.operation, c.origin])).toEqual([
      ['update', 'inbound'],
      ['delete', 'inbound'],
    ]);
  });

  it('terminates invalid messages with their reason and applies the rest of the batch', async () => {
    const bad = [
      upsert({ entity: 'materials', stId: 48213, record: { modifiedOn: '2025-01-01T00:00:00Z' } }),
      upsert({ entity: 'materials', stId: 48213, record: { price: 'ten' } }),
      upsert({ entity: 'materials', stId: 777, record: { price: 1 } }),
      upsert({ entity: 'materials', record: { price: 1 } }),
    ];
    const good = upsert({ entity: 'materials', stId: 48214, record: { price: 42 } });
    for (const m of [...bad, good]) await publish(h.js, m);
    await h.js.publish(subjects.inbound(tenant, 'materials', 'upsert'), '{not json', { msgID: randomUUID() });
    await settled();
    expect((await row(48214))?.data.price).toBe(42);
    expect(await audit()).toHaveLength(1);
    const letters = await h.sql<{ consumer: string; reason: string; subject: string }>(
      'select consumer, reason, subject from pricebook_dead_letters order by stream_seq',
    );
    expect(letters).toHaveLength(5);
    expect(letters.every((l) => l.consumer === 'applier-inbound')).toBe(true);
    const reasons = letters.map((l) => l.reason);
    expect(reasons[0]).toMatch(/modifiedOn \(read-only field\)/);
    expect(reasons[1]).toMatch(/validation_failed.*price/);
    expect(reasons[2]).toMatch(/not_found.*st:777/);
    expect(reasons[3]).toMatch(/code.*description/);
    expect(reasons[4]).toMatch(/^bad_json/);
  });

  it('terminates at once, with the reason, an edit holding a value the database would refuse', async () => {
    const range = 'must be greater than -10000000000 and less than 10000000000';
    const cases = [
      [upsert({ entity: 'materials', stId: 48213, record: { price: 1e11 } }), `price (${range})`],
      [
        upsert({
          entity: 'materials',
          stId: 48213,
          record: { primaryVendor: { vendorId: 1, cost: 1, active: true, memo: 'a\u0000' } },
        }),
        'primaryVendor.memo (must not contain the NUL character',
      ],
      [
        upsert({ entity: 'materials', record: { code: 'N', description: 'd\ud800' } }),
        'description (must be well-formed Unicode',
      ],
      // Close to NATS's 1 MiB limit: refused by its length, never run through a pattern.
      [
        upsert({ entity: 'materials', stId: 48213, record: { cost: `${'1'.repeat(1_000_000)}x` } }),
        'cost (decimal text must be at most 40 characters)',
      ],
    ] as const;
    for (const [message] of cases) await publish(h.js, message);
    await settled();
    const letters = await h.sql<{ reason: string; delivery_count: number; subject: string }>(
      'select reason, delivery_count, subject from pricebook_dead_letters order by stream_seq',
    );
    expect(letters.map((l) => l.delivery_count)).toEqual([1, 1, 1, 1]);
    cases.forEach(([, reason], i) => {
      expect(letters[i]?.reason).toMatch(/^rejected: validation_failed: the record is not valid: /);
      expect(letters[i]?.reason).toContain(reason);
    });
    expect(await audit()).toEqual([]);
    expect((await row(48213))?.data.price).toBe(material(48213).price);
  });
});
