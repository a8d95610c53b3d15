import { describe, expect, it } from 'vitest';
import { databaseForFile } from '../test-support';
import { purgeTenant } from './tenant';

const t = databaseForFile();

/** Everything a tenant has: three local edits (each an audit row and an event), a sync with a ledger, a dead letter. */
async function seedTenant(tenantId: string, status: 'active' | 'removed') {
  await t.sql(
    `insert into pricebook_tenants (tenant_id, name, status, client_id, client_secret, app_key, secrets_key_id, api_base_url, auth_url)
     values (?, 'Contractor', ?, 'cid', 'v1.k1.x.y.z', 'v1.k1.x.y.z', 'k1', 'https://api.servicetitan.io', 'https://auth.servicetitan.io')`,
    [tenantId, status],
  );
  for (const n of [1, 2, 3]) {
    await t.sql(`insert into pricebook_materials (tenant_id, data) values (?, ?::jsonb)`, [
      tenantId,
      JSON.stringify({ code: `M-${n}`, displayName: `Item ${n}`, price: n }),
    ]);
  }
  const [sync] = await t.sql<{ id: string }>(
    `insert into pricebook_sync_log (tenant_id, sync_type, direction, status) values (?, 'full', 'from_st', 'completed') returning id`,
    [tenantId],
  );
  await t.sql(
    `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action)
     select ?, 'materials', g::text, 'update' from generate_series(1, 5) as g`,
    [sync?.id],
  );
  await t.sql(
    `insert into pricebook_dead_letters (tenant_id, stream, consumer, subject, stream_seq, delivery_count, payload, reason)
     values (?, 'PRICEBOOK_INBOUND', 'applier-inbound', 's', ?, 1, '{}', 'bad')`,
    [tenantId, Number(tenantId)],
  );
}

async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'pricebook_materials',
    'pricebook_changes',
    'pricebook_outbox',
    'pricebook_sync_log',
    'pricebook_dead_letters',
    'pricebook_tenants',
  ]) {
    const [row] = await t.sql<{ n: string }>(`select count(*) as n from ${table} where tenant_id = ?`, [
      tenantId,
    ]);
    counts[table] = Number(row?.n);
  }
  const [items] = await t.sql<{ n: string }>(
    `select count(*) as n from pricebook_sync_items i join pricebook_sync_log s on s.id = i.sync_log_id where s.tenant_id = ?`,
    [tenantId],
  );
  counts.pricebook_sync_items = Number(items?.n);
  return counts;
}

describe('purgeTenant', () => {
  it("deletes all of a removed tenant's rows in small batches, announces nothing, and leaves the others", async () => {
    await seedTenant('501', 'active');
    await seedTenant('502', 'removed');
    const kept = await rowsOf('501');
    expect(kept).toEqual({
      pricebook_materials: 3,
      pricebook_changes: 3,
      pricebook_outbox: 3,
      pricebook_sync_log: 1,
      pricebook_dead_letters: 1,
      pricebook_tenants: 1,
      pricebook_sync_items: 5,
    });
    expect(await rowsOf('502')).toEqual(kept);

    const deleted = await purgeTenant(t.orm, '502', 2);

    expect(deleted).toBe(3 + 3 + 3 + 1 + 1 + 5);
    expect(Object.values(await rowsOf('502'))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await rowsOf('501')).toEqual(kept);
    // Deleting the rows wrote no audit row and no event, for anyone.
    const [audit] = await t.sql<{ n: string }>('select count(*) as n from pricebook_changes');
    expect(Number(audit?.n)).toBe(3);
  });

  it('refuses a tenant that is not removed, and an unknown one', async () => {
    await seedTenant('503', 'active');
    await expect(purgeTenant(t.orm, '503')).rejects.toThrow(
      'tenant 503 is active: only a removed tenant is purged',
    );
    await expect(purgeTenant(t.orm, '599')).rejects.toThrow('tenant 599 is unknown');
    expect((await rowsOf('503')).pricebook_materials).toBe(3);
  });
});

describe('purgeTenant and webhooks', () => {
  it("deletes a removed tenant's webhook subscriptions, their sealed secrets, delivery logs and attempts", async () => {
    const webhook = async (tenantId: string) => {
      const [sub] = await t.sql<{ id: string }>(
        `insert into pricebook_webhook_subscriptions (tenant_id, url, event_types, secret, secrets_key_id)
         values (?, 'https://hooks.example.com/x', '{record.updated}', 'sealed', 'k1') returning id`,
        [tenantId],
      );
      const [delivery] = await t.sql<{ id: string }>(
        `insert into pricebook_webhook_deliveries (subscription_id, tenant_id, event_id, event_type, occurred_at, payload)
         values (?, ?, 'event-1', 'record.updated', now(), '{}'::jsonb) returning id`,
        [sub?.id, tenantId],
      );
      await t.sql(
        `insert into pricebook_webhook_attempts (delivery_id, subscription_id, tenant_id, attempt, attempted_at, outcome, status_code, duration_ms)
         select ?::uuid, ?::uuid, ?, n, now(), 'failed', 503, 10 from generate_series(1, 3) n`,
        [delivery?.id, sub?.id, tenantId],
      );
    };
    const count = async (table: string, tenantId: string) =>
      Number(
        (await t.sql<{ n: string }>(`select count(*) as n from ${table} where tenant_id = ?`, [tenantId]))[0]
          ?.n,
      );
    await seedTenant('511', 'active');
    await seedTenant('512', 'removed');
    await webhook('511');
    await webhook('512');

    await purgeTenant(t.orm, '512', 2);

    expect(await count('pricebook_webhook_subscriptions', '512')).toBe(0);
    expect(await count('pricebook_webhook_deliveries', '512')).toBe(0);
    expect(await count('pricebook_webhook_subscriptions', '511')).toBe(1);
    expect(await count('pricebook_webhook_deliveries', '511')).toBe(1);
    expect(await count('pricebook_webhook_attempts', '512')).toBe(0);
    expect(await count('pricebook_webhook_attempts', '511')).toBe(3);
  });
});
