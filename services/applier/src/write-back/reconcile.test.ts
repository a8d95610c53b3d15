import { entityTables, stContentHash } from '@pricebook/contracts';
import { StClient } from '@pricebook/st-client';
import { describe, expect, it } from 'vitest';
import { singleTenantClients } from '../shared/tenant-st';
import { count } from '../test-support';
import { create, createBody } from './st-calls';
import { APP_GUID, PATCH, POST, usePushWorld } from './test-support';

const BAD = { price: 'not a price' };

const w = usePushWorld({ items: 8, known: 4 });

const ledger = async (syncId: string, recordId: string) =>
  (
    await w.h.sql<{ action: string; st_id: string | null; detail: { error?: string } | null }>(
      'select action, st_id::text as st_id, detail from pricebook_sync_items where sync_log_id = ? and record_id = ?',
      [syncId, recordId],
    )
  )[0];
const quarantined = (stIdOf: number) =>
  count(w.h, 'select count(*) as n from pricebook_quarantine where st_id = ?', [stIdOf]);

async function localCreate(code: string): Promise<string> {
  const [row] = await w.h.sql<{ id: string }>(
    `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', ?, 'x', 4) returning id`,
    [code],
  );
  if (!row) throw new Error('no row');
  return row.id;
}

describe('an ST record that fails our schema during a push', () => {
  it('keeps a local delete pending with the reason instead of marking it synced unsent', async () => {
    const id = await w.idOf('materials', w.stId(0));
    await w.h.sql('update pricebook_materials set deleted_at = now() where id = ?', [id]);
    await w.sb.control.corruptItem('materials', w.stId(0), BAD);
    const sync = await w.createSync();
    expect(await w.push(sync)).toBe('completed');

    expect((await w.rowOf('materials', id)).sync_status).toBe('pending_sync');
    expect((await w.sb.control.item('materials', w.stId(0))).active).toBe(true);
    expect((await w.requests())[PATCH]).toBeUndefined();
    expect(await ledger(sync, id)).toMatchObject({ action: 'quarantine', st_id: String(w.stId(0)) });
    expect((await ledger(sync, id))?.detail?.error).toMatch(/fails our schema.*price/);
    expect(await quarantined(w.stId(0))).toBe(1);
    const [logRow] = await w.h.sql<{ errors: number; error_message: string | null }>(
      'select errors, error_message from pricebook_sync_log where id = ?',
      [sync],
    );
    expect(logRow).toMatchObject({ errors: 1 });
    expect(logRow?.error_message).toMatch(/1 local edits not sent/);
  });

  it('keeps a local update pending instead of opening a conflict that says ST deleted the item', async () => {
    const id = await w.idOf('materials', w.stId(1));
    await w.h.sql('update pricebook_materials set price = 99 where id = ?', [id]);
    await w.sb.control.corruptItem('materials', w.stId(1), BAD);
    const sync = await w.createSync();
    await w.push(sync);
    expect(await w.rowOf('materials', id)).toMatchObject({
      sync_status: 'pending_sync',
      has_conflict: false,
    });
    expect(await count(w.h, 'select count(*) as n from pricebook_sync_conflicts')).toBe(0);
    expect(await ledger(sync, id)).toMatchObject({ action: 'quarantine' });
  });

  it('records the ST id of a create whose answer fails our schema, so the next push creates nothing', async () => {
    // ServiceTitan stores the new item in a shape our schema refuses and answers the create with it.
    const corrupting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (init?.method !== 'POST' || res.status !== 201 || !/\/materials$/.test(new URL(url).pathname))
        return res;
      const answer = (await res.json()) as Record<string, unknown>;
      await w.sb.control.corruptItem('materials', Number(answer.id), BAD);
      return Response.json({ ...answer, ...BAD }, { status: 201 });
    };
    const st = new StClient({
      baseUrl: w.sb.baseUrl,
      authUrl: w.sb.authUrl,
      tenantId: w.sb.tenantId,
      clientId: w.sb.clientId,
      clientSecret: w.sb.clientSecret,
      appKey: w.sb.appKey,
      fetch: corrupting,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    });
    const id = await localCreate('BAD-ANSWER-1');
    const first = await w.createSync();
    expect(await w.push(first, {}, { clients: singleTenantClients('1001', st, APP_GUID) })).toBe('completed');

    const row = await w.rowOf('materials', id);
    expect(row.st_id).not.toBeNull();
    expect(row.sync_status).toBe('pending_sync');
    expect(await ledger(first, id)).toMatchObject({ action: 'quarantine', st_id: row.st_id });
    expect(await quarantined(Number(row.st_id))).toBe(1);

    const second = await w.createSync();
    expect(await w.push(second, {}, { clients: singleTenantClients('1001', st, APP_GUID) })).toBe(
      'completed',
    );
    expect((await w.requests())[POST]).toBe(1);
    expect((await w.rowOf('materials', id)).st_id).toBe(row.st_id);
    const ours = await w.taggedWith(id);
    expect([...ours.records, ...ours.invalid]).toHaveLength(1);
  });
});

describe('a second local row of an item the push created', () => {
  /** ST holds the row's create (a push died before recording it) and a pull imported it meanwhile. */
  async function importedCopy(code: string) {
    const id = await localCreate(code);
    const [row] = await w.h.sql<{ data: Record<string, unknown> }>(
      'select data from pricebook_materials where id = ?',
      [id],
    );
    const made = await create(w.st, 'materials', createBody('materials', row?.data ?? {}, id, APP_GUID));
    const record = { ...made, externalData: null };
    const [copy] = await w.h.orm.em.fork().transactional(async (em) => {
      await em.execute(`select set_config('pricebook.origin', 'st', true)`);
      return em.execute<Array<{ id: string }>>(
        `insert into ${entityTables.materials} (tenant_id, st_id, data, base, content_hash, last_synced_at, sync_status)
         values ('1001', ?, ?::jsonb, ?::jsonb, ?, now(), 'synced') returning id`,
        [made.id, JSON.stringify(record), JSON.stringify(record), stContentHash('materials', record)],
      );
    });
    if (!copy) throw new Error('no copy');
    await w.sb.control.resetStats();
    await w.h.sql('delete from pricebook_outbox');
    return { id, copy: copy.id, stId: Number(made.id) };
  }

  it('is retired and the row that made the item takes its ST id, instead of failing on st_id forever', async () => {
    const { id, copy, stId: made } = await importedCopy('COPY-1');
    const sync = await w.createSync();
    expect(await w.push(sync)).toBe('completed');

    expect(await w.rowOf('materials', id)).toMatchObject({ st_id: String(made), sync_status: 'synced' });
    const [retired] = await w.h.sql<{ st_id: string | null; deleted: boolean }>(
      'select st_id::text as st_id, deleted_at is not null as deleted from pricebook_materials where id = ?',
      [copy],
    );
    expect(retired).toEqual({ st_id: null, deleted: true });
    expect(
      await count(
        w.h,
        `select count(*) as n from pricebook_materials where st_id = ? and deleted_at is null`,
        [made],
      ),
    ).toBe(1);
    const events = await w.h.sql<{ event_type: string; payload: { recordId: string; stId: number } }>(
      `select event_type, payload from pricebook_outbox where event_type like 'record.%'`,
    );
    expect(events.map((e) => [e.event_type, e.payload.recordId, e.payload.stId])).toEqual([
      ['record.deleted', copy, made],
    ]);
    expect((await w.requests())[POST]).toBeUndefined();
  });

  it('with local edits of its own is left for a person: the create is reported with the reason', async () => {
    const { id, copy, stId: made } = await importedCopy('COPY-2');
    await w.h.sql('update pricebook_materials set price = 55 where id = ?', [copy]);
    const sync = await w.createSync();
    expect(await w.push(sync)).toBe('completed');

    expect(await w.rowOf('materials', id)).toMatchObject({ st_id: null, sync_status: 'pending_sync' });
    expect(await w.rowOf('materials', copy)).toMatchObject({ st_id: String(made) });
    expect((await ledger(sync, id))?.detail?.error).toMatch(new RegExp(`linked to local row ${copy}`));
    expect((await w.requests())[POST]).toBeUndefined();
  });
});
