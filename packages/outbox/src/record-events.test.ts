import { randomUUID } from 'node:crypto';
import type { EntityType } from '@pricebook/contracts';
import {
  type AuditChange,
  auditChangeJson,
  type EntityManager,
  migrate,
  recordEventData,
  setWriteContext,
} from '@pricebook/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayOnce } from './relay';
import { type Harness, startHarness, startTestDb, streamMessages } from './test-support';

// The last migration whose triggers built the `record.*` payload in PL/pgSQL.
const lastPlpgsqlPayload = '20261206180000-push-impact';
const eventsFromAudit = '20261207010000-events-from-audit';
const oldTenant = '2001';
const newTenant = '2002';
const syncLogId = randomUUID();

const tables: Record<EntityType, string> = {
  categories: 'pricebook_categories',
  materials: 'pricebook_materials',
  services: 'pricebook_services',
  equipment: 'pricebook_equipment',
};
const origins = ['st', 'local', 'inbound', 'resolution', 'merge'] as const;

function record(entity: EntityType, stId: number, price: number): Record<string, unknown> {
  if (entity === 'categories')
    return { id: stId, name: `C-${stId}`, active: true, position: Math.trunc(price) };
  return { id: stId, code: `X-${stId}`, displayName: `Item ${stId}`, price, active: true, categories: [1] };
}

/**
 * Every kind of write a row can get, for each entity and origin: create, update, soft delete,
 * restore, hard delete. An engine origin carries a sync log id and an actor; a local edit neither.
 */
async function writeEverything(h: Harness, tenant: string): Promise<void> {
  let stId = 0;
  for (const [entity, table] of Object.entries(tables) as Array<[EntityType, string]>) {
    for (const origin of origins) {
      stId += 1;
      const write = (statement: string, params: unknown[]) =>
        h.orm.em.fork().transactional(async (em: EntityManager) => {
          if (origin !== 'local') {
            await setWriteContext(em, {
              origin,
              ...(origin === 'st' || origin === 'resolution' ? { syncLogId } : {}),
              actor: `${origin}-actor`,
            });
          }
          await em.execute(statement, params);
        });
      await write(`insert into ${table} (tenant_id, st_id, data) values (?, ?, ?::jsonb)`, [
        tenant,
        stId,
        JSON.stringify(record(entity, stId, 10)),
      ]);
      const where = 'where tenant_id = ? and st_id = ?';
      await write(`update ${table} set data = ?::jsonb ${where}`, [
        JSON.stringify(record(entity, stId, 12.5)),
        tenant,
        stId,
      ]);
      await write(`update ${table} set deleted_at = now() ${where}`, [tenant, stId]);
      await write(`update ${table} set deleted_at = null ${where}`, [tenant, stId]);
      await write(`delete from ${table} ${where}`, [tenant, stId]);
    }
  }
}

interface PairedRow {
  outboxId: string;
  subject: string;
  payload: Record<string, unknown>;
  change: AuditChange;
}

/** Each audit row of a tenant with the outbox row its statement wrote (the n-th of its record). */
async function pairs(h: Harness, tenant: string): Promise<PairedRow[]> {
  return h.sql<PairedRow>(
    // Audit rows of a schema before change-sets belong to none.
    `with a as (select c.*, null::uuid as changeset_id,
                       row_number() over (partition by record_id order by seq) as n
                  from pricebook_changes c where tenant_id = ?),
          o as (select o.*, row_number() over (partition by payload ->> 'recordId' order by seq) as n
                  from pricebook_outbox o where tenant_id = ?)
     select o.id as "outboxId", o.subject, o.payload,
            ${auditChangeJson('a')} as change
       from a join o on o.payload ->> 'recordId' = a.record_id::text and o.n = a.n
      order by o.seq`,
    [tenant, tenant],
  );
}

/** The `data` of a published message (undefined when none). */
const dataOf = (json: unknown): unknown => (json as { data?: unknown } | undefined)?.data;

/** An event's data without what differs between two records written the same way. */
const sameWrite = (data: unknown) => ({ ...(data as Record<string, unknown>), recordId: 'R' });

let h: Harness;
let before: PairedRow[];
beforeAll(async () => {
  h = await startHarness({ to: lastPlpgsqlPayload });
  await writeEverything(h, oldTenant);
  before = await pairs(h, oldTenant);
});
afterAll(() => h?.close());

describe('record events built in TypeScript', () => {
  it('equal, for every entity, origin and kind of write, the payload the PL/pgSQL triggers built', () => {
    // 4 entities × 5 origins × 5 writes, each with exactly one audit row and one event.
    expect(before).toHaveLength(100);
    for (const row of before) {
      expect(recordEventData(row.change), `${row.subject} by ${row.change.origin}`).toEqual(row.payload);
    }
    const seen = new Set(
      before.map((r) => `${r.change.entity_type}:${r.change.origin}:${r.change.operation}`),
    );
    expect(seen.size).toBe(4 * 5 * 4); // create, update, delete (soft and hard), restore
  });

  it('after the upgrade, relay the old backlog as it was and publish new writes identically', async () => {
    const result = await migrate(h.db.url);
    expect(result.applied).toContain('20261207010000-events-from-audit');
    // The old rows are untouched and still unpublished.
    const backlog = await h.sql<{ n: string }>(
      'select count(*) as n from pricebook_outbox where published_at is null and change_id is null',
    );
    expect(Number(backlog[0]?.n)).toBe(100);

    await writeEverything(h, newTenant);
    const fresh = await h.sql<{ id: string; change_id: string | null; payload: Record<string, unknown> }>(
      'select id, change_id, payload from pricebook_outbox where tenant_id = ? order by seq',
      [newTenant],
    );
    expect(fresh).toHaveLength(100);
    // The new rows carry a reference to their audit row, not the content.
    expect(fresh.every((r) => r.change_id !== null && r.payload.before === undefined)).toBe(true);

    while ((await relayOnce({ orm: h.orm, js: h.js, log: h.log }, 37)) > 0);
    const letters = await h.sql('select reason from pricebook_dead_letters');
    expect(letters).toEqual([]);

    const published = new Map((await streamMessages(h, 'PRICEBOOK_EVENTS')).map((m) => [m.msgId, m]));
    expect(published.size).toBe(200);
    for (const row of before) {
      const message = published.get(row.outboxId);
      expect(message?.subject).toBe(row.subject);
      expect(dataOf(message?.json)).toEqual(row.payload);
    }
    // The same writes to another tenant publish the same events, record ids aside.
    const oldData = before.map((r) => sameWrite(r.payload));
    const newData: Array<Record<string, unknown>> = fresh.map((r) =>
      sameWrite(dataOf(published.get(r.id)?.json)),
    );
    // Since change-sets, a sync's writes also name its change-set (an optional field added within
    // v1); everything else is as the PL/pgSQL triggers built it.
    expect(newData.map(({ changeSetId: _, ...rest }) => rest)).toEqual(oldData);
    expect(newData.map((d) => d.changeSetId)).toEqual(before.map((r) => r.change.sync_log_id ?? undefined));
    const newSubjects = fresh.map((r) => published.get(r.id)?.subject.replace(newTenant, oldTenant));
    expect(newSubjects).toEqual(before.map((r) => r.subject));
  });
});

describe('the events-from-audit migration, rolled back', () => {
  it('gives unpublished rows of the new shape the payload the older relay expects', async () => {
    const t = await startTestDb();
    try {
      await t.sql(`insert into pricebook_materials (tenant_id, st_id, data) values (?, 7, ?::jsonb)`, [
        oldTenant,
        JSON.stringify(record('materials', 7, 10)),
      ]);
      const [change] = await t.sql<{ change: AuditChange }>(
        `select ${auditChangeJson('c')} as change from pricebook_changes c`,
      );
      // Back to before this migration, whatever later ones have been added since (umzug reverts `to` too).
      await t.orm.getMigrator().down({ to: eventsFromAudit });
      const rows = await t.sql<{ payload: Record<string, unknown> }>('select payload from pricebook_outbox');
      expect(rows).toHaveLength(1);
      expect(change).toBeDefined();
      if (change) expect(rows[0]?.payload).toEqual(recordEventData(change.change));
    } finally {
      await t.close();
    }
  });
});
