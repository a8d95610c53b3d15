import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditRows, databaseForFile, outboxEvents } from './test-support';

const t = databaseForFile();
beforeEach(async () => {
  await t.sql('delete from pricebook_services');
  await t.sql('delete from pricebook_changes');
  await t.sql('delete from pricebook_outbox');
});

const record = (stId: number, price: number) => ({
  id: stId,
  code: `SVC-${stId}`,
  description: 'service',
  price,
  active: true,
  categories: [{ id: 1, name: 'Plumbing', active: true }],
  modifiedOn: '2025-03-01T00:00:00.0000001Z',
});

/** The applier's shape of write: one INSERT … ON CONFLICT DO UPDATE for a whole batch. */
async function upsert(em: EntityManager, records: ReturnType<typeof record>[]): Promise<void> {
  await em.execute(
    `insert into pricebook_services (tenant_id, st_id, data, base, sync_status, last_synced_at)
     select 7, (r ->> 'id')::bigint, r, r, 'synced', now() from jsonb_array_elements(?::jsonb) as r
     on conflict (tenant_id, st_id) do update
       set data = excluded.data, base = excluded.base, sync_status = 'synced', last_synced_at = now()`,
    [JSON.stringify(records)],
  );
}

const count = async (sql: string) => Number((await t.sql<{ n: string }>(sql))[0]?.n);

describe('a bulk upsert', () => {
  it('writes one audit row and one event per created or changed row, none for unchanged rows', async () => {
    const first = Array.from({ length: 2000 }, (_, i) => record(1000 + i, 10));
    await t.tx((em) => upsert(em, first), { origin: 'st', syncLogId: randomUUID() });
    expect(await count(`select count(*) as n from pricebook_changes where operation = 'create'`)).toBe(2000);
    expect(
      await count(`select count(*) as n from pricebook_outbox where subject like '%.services.created.v1'`),
    ).toBe(2000);

    await t.sql('delete from pricebook_changes');
    await t.sql('delete from pricebook_outbox');
    const syncLogId = randomUUID();
    // 300 changed prices, 1700 identical records, 150 new records, all in one statement.
    const second = [
      ...first.map((r, i) => (i % 20 < 3 ? { ...r, price: 11 } : r)),
      ...Array.from({ length: 150 }, (_, i) => record(5000 + i, 20)),
    ];
    await t.tx((em) => upsert(em, second), { origin: 'st', syncLogId });

    const audit = await t.sql<{ operation: string; n: string; fields: string }>(
      `select operation, count(*) as n, string_agg(distinct array_to_string(changed_fields, ','), '|') as fields
         from pricebook_changes where sync_log_id = ? group by operation order by operation`,
      [syncLogId],
    );
    expect(audit.map((a) => [a.operation, Number(a.n)])).toEqual([
      ['create', 150],
      ['update', 300],
    ]);
    expect(audit.find((a) => a.operation === 'update')?.fields).toBe('price');
    expect(await count('select count(*) as n from pricebook_changes')).toBe(450);
    expect(await count('select count(*) as n from pricebook_outbox')).toBe(450);
    expect(
      await count(
        `select count(*) as n from pricebook_outbox where correlation_id is distinct from '${syncLogId}'`,
      ),
    ).toBe(0);
    // Exactly one audit row per record: no record is counted twice.
    expect(await count('select count(distinct record_id) as n from pricebook_changes')).toBe(450);
    expect(await count(`select count(*) as n from pricebook_services where sync_status <> 'synced'`)).toBe(0);
  });
});

describe('deletes and restores', () => {
  let id: string;
  beforeEach(async () => {
    const rows = await t.tx(
      (em) =>
        em.execute<{ id: string }[]>(
          `insert into pricebook_services (tenant_id, st_id, data) values (7, 900, ?::jsonb) returning id`,
          [JSON.stringify(record(900, 50))],
        ),
      { origin: 'st' },
    );
    id = rows[0]?.id ?? '';
    await t.sql('delete from pricebook_changes');
    await t.sql('delete from pricebook_outbox');
  });

  const last = async () => {
    const audit = await auditRows(t, 'order by seq desc limit 1');
    const events = await outboxEvents(t, 'order by o.seq desc limit 1');
    return { audit: audit[0], event: events[0] };
  };

  it('a soft delete is a delete, a restore is an update event, a hard delete is a delete', async () => {
    await t.sql('update pricebook_services set deleted_at = now() where id = ?', [id]);
    let { audit, event } = await last();
    expect(audit).toMatchObject({ operation: 'delete', origin: 'local', changed_fields: [] });
    expect(audit?.before).toEqual(audit?.after);
    expect(event?.subject).toBe('pricebook.events.7.services.deleted.v1');
    const status = await t.sql<{ sync_status: string }>('select sync_status from pricebook_services');
    expect(status[0]?.sync_status).toBe('pending_sync');

    await t.sql('update pricebook_services set deleted_at = null where id = ?', [id]);
    ({ audit, event } = await last());
    expect(audit?.operation).toBe('restore');
    expect(event?.subject).toBe('pricebook.events.7.services.updated.v1');
    expect(event?.payload.operation).toBe('updated');

    await t.tx((em) => em.execute('delete from pricebook_services where id = ?', [id]), { origin: 'st' });
    ({ audit, event } = await last());
    expect(audit).toMatchObject({ operation: 'delete', origin: 'st', after: null });
    expect(audit?.before).toMatchObject({ id: 900, price: 50 });
    expect(event?.subject).toBe('pricebook.events.7.services.deleted.v1');
    expect(event?.payload).toMatchObject({ operation: 'deleted', after: null, stId: 900 });

    expect(await count('select count(*) as n from pricebook_changes')).toBe(3);
    expect(await count('select count(*) as n from pricebook_outbox')).toBe(3);
  });

  it('a soft delete that also edits data is one delete with its changed fields', async () => {
    await t.sql(
      `update pricebook_services set deleted_at = now(), data = data || '{"active": false}' where id = ?`,
      [id],
    );
    const { audit } = await last();
    expect(audit).toMatchObject({ operation: 'delete', changed_fields: ['active'] });
    expect(await count('select count(*) as n from pricebook_changes')).toBe(1);
  });
});
