import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { databaseForFile } from '../test-support';
import { type AuditCursor, purgeAudit } from './audit';
import { purgeChangeSets } from './changesets';
import { purgeDeadLetters } from './dead-letters';
import { purgeQuarantine } from './quarantine';
import { purgeRevokedSessions, purgeSessionCutoffs } from './sessions';
import { purgeSyncItems, purgeSyncLogs } from './sync-logs';
import { purgeWebhookDeliveries } from './webhook-deliveries';

const t = databaseForFile();
const tenantId = '42';
const day = 86_400_000;

beforeEach(async () => {
  await t.sql(`truncate pricebook_changes, pricebook_outbox, pricebook_sync_log, pricebook_sync_items,
    pricebook_sync_conflicts, pricebook_sync_runs, pricebook_quarantine, pricebook_dead_letters`);
});

/** Runs batches until one comes back short; the totals and how many batches it took. */
async function drain(batch: () => Promise<number>, limit: number) {
  let deleted = 0;
  for (let batches = 1; batches <= 100; batches += 1) {
    const n = await batch();
    deleted += n;
    if (n < limit) return { deleted, batches };
  }
  throw new Error('the batches never ran dry');
}

async function drainAudit(olderThanMs: number, limit: number, em = t.orm.em.fork()) {
  let deleted = 0;
  let after: AuditCursor | undefined;
  for (let batches = 1; batches <= 100; batches += 1) {
    const result = await purgeAudit(em, { tenantId, olderThanMs, limit }, after);
    deleted += result.deleted;
    if (result.scanned < limit || !result.next) return { deleted, batches };
    after = result.next;
  }
  throw new Error('the audit batches never ran dry');
}

/** An audit row of `record` made `daysAgo` days ago; its id. */
async function change(record: string, daysAgo: number, tenant = tenantId): Promise<string> {
  const rows = await t.sql<{ id: string }>(
    `insert into pricebook_changes (tenant_id, entity_type, record_id, operation, origin, after, created_at)
     values (?, 'materials', ?, 'update', 'local', '{}'::jsonb, now() - make_interval(days => ?)) returning id`,
    [tenant, record, daysAgo],
  );
  return rows[0]?.id ?? '';
}

async function outboxRow(input: { changeId?: string; correlationId?: string; publishedDaysAgo?: number }) {
  await t.sql(
    `insert into pricebook_outbox (tenant_id, subject, event_type, payload, change_id, correlation_id, created_at, published_at)
     values (?, 's', 'record.updated', '{}'::jsonb, ?, ?, now() - interval '40 days',
             case when ?::int is null then null else now() - make_interval(days => ?::int) end)`,
    [
      tenantId,
      input.changeId ?? null,
      input.correlationId ?? null,
      input.publishedDaysAgo ?? null,
      input.publishedDaysAgo ?? null,
    ],
  );
}

const ids = async (table: string) =>
  (await t.sql<{ id: string }>(`select id from ${table} order by id`)).map((r) => r.id).sort();

describe('purgeAudit', () => {
  it('deletes old changes but keeps the newest of each record, the ones an unpublished event needs, and the window', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const aOld = [await change(a, 30), await change(a, 20), await change(a, 10)];
    const aRecent = await change(a, 1);
    const bOld = await change(b, 30);
    const bNewest = await change(b, 20);
    const cUnpublished = await change(c, 30);
    const cPublished = await change(c, 25);
    const cNewest = await change(c, 1);
    await outboxRow({ changeId: cUnpublished });
    await outboxRow({ changeId: cPublished, publishedDaysAgo: 24 });
    const otherTenant = [await change(a, 30, '43'), await change(a, 1, '43')];

    const result = await drainAudit(7 * day, 2);

    expect(result.deleted).toBe(aOld.length + 2);
    expect(await ids('pricebook_changes')).toEqual(
      [aRecent, bNewest, cUnpublished, cNewest, ...otherTenant].sort(),
    );
    expect(await ids('pricebook_changes')).not.toContain(bOld);
  });

  it('steps over kept rows, so a run reaches old rows behind more kept rows than a batch holds', async () => {
    // Five records whose only change is old: each is its record's newest and stays.
    const kept = [];
    for (let i = 0; i < 5; i += 1) kept.push(await change(randomUUID(), 40));
    const record = randomUUID();
    await change(record, 30);
    await change(record, 20);
    const newest = await change(record, 10);

    const result = await drainAudit(7 * day, 2);

    // Eight rows past the window, two a batch: four full batches and a last, empty one.
    expect(result).toEqual({ deleted: 2, batches: 5 });
    expect(await ids('pricebook_changes')).toEqual([...kept, newest].sort());
  });

  it('lets two replicas run at once: neither fails, nothing is deleted twice, the counts add up', async () => {
    const newest: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const record = randomUUID();
      await change(record, 30);
      await change(record, 20);
      newest.push(await change(record, 10));
    }
    const [one, two] = await Promise.all([drainAudit(7 * day, 3), drainAudit(7 * day, 3)]);
    expect(one.deleted + two.deleted).toBe(40);
    expect(await ids('pricebook_changes')).toEqual(newest.sort());
  });
});

describe('purgeSyncLogs and purgeSyncItems', () => {
  async function sync(status: string, daysAgo: number): Promise<string> {
    const rows = await t.sql<{ id: string }>(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, created_at)
       values (?, 'full', 'from_st', ?, now() - make_interval(days => ?)) returning id`,
      [tenantId, status, daysAgo],
    );
    return rows[0]?.id ?? '';
  }

  it('deletes ended syncs past the retention with their ledger, and keeps every sync something kept points at', async () => {
    const plain = await sync('completed', 200);
    const withLedger = await sync('completed', 200);
    await t.sql(
      `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action)
       select ?, 'materials', g::text, 'update' from generate_series(1, 5) as g`,
      [withLedger],
    );
    const publishedEvents = await sync('cancelled', 200);
    await outboxRow({ correlationId: publishedEvents, publishedDaysAgo: 199 });

    const running = await sync('running', 200);
    const recent = await sync('completed', 10);
    const audited = await sync('completed', 200);
    await t.sql(
      `insert into pricebook_changes (tenant_id, entity_type, record_id, operation, origin, sync_log_id)
       values (?, 'materials', gen_random_uuid(), 'update', 'st', ?)`,
      [tenantId, audited],
    );
    const conflicted = await sync('completed', 200);
    await t.sql(
      `insert into pricebook_sync_conflicts (tenant_id, entity_type, record_id, conflict_type, status, sync_log_id)
       values (?, 'materials', gen_random_uuid(), 'both_modified', 'resolved', ?)`,
      [tenantId, conflicted],
    );
    const locked = await sync('failed', 200);
    await t.sql(
      `insert into pricebook_sync_runs (tenant_id, entity_type, sync_log_id) values (?, 'materials', ?)`,
      [tenantId, locked],
    );
    const quarantined = await sync('completed', 200);
    await t.sql(
      `insert into pricebook_quarantine (tenant_id, entity_type, raw, reason, sync_log_id)
       values (?, 'materials', '{}'::jsonb, 'bad', ?)`,
      [tenantId, quarantined],
    );
    const unpublished = await sync('failed', 200);
    await outboxRow({ correlationId: unpublished });
    const otherTenant = await sync('completed', 200);
    await t.sql(`update pricebook_sync_log set tenant_id = 43 where id = ?`, [otherTenant]);

    const batch = { tenantId, olderThanMs: 180 * day, limit: 2 };
    // A sync with ledger rows left is not deleted before its ledger.
    expect(await drain(() => purgeSyncLogs(t.orm.em.fork(), batch), 2)).toEqual({ deleted: 2, batches: 2 });
    expect(await ids('pricebook_sync_log')).toContain(withLedger);
    expect(await drain(() => purgeSyncItems(t.orm.em.fork(), batch), 2)).toEqual({ deleted: 5, batches: 3 });
    expect(await drain(() => purgeSyncLogs(t.orm.em.fork(), batch), 2)).toEqual({ deleted: 1, batches: 1 });

    expect(await ids('pricebook_sync_log')).toEqual(
      [running, recent, audited, conflicted, locked, quarantined, unpublished, otherTenant].sort(),
    );
    expect(await ids('pricebook_sync_log')).not.toContain(plain);
    expect(await ids('pricebook_sync_log')).not.toContain(publishedEvents);
  });
});

describe('purgeDeadLetters and purgeQuarantine', () => {
  it('delete what is past the retention, of this tenant or of none, and nothing else', async () => {
    const letter = async (tenant: string | null, daysAgo: number, seq: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_dead_letters (tenant_id, stream, consumer, subject, stream_seq, delivery_count, payload, reason, created_at)
           values (?, 'PRICEBOOK_INBOUND', 'applier-inbound', 's', ?, 1, '{}', 'bad', now() - make_interval(days => ?))
           returning id`,
          [tenant, seq, daysAgo],
        )
      )[0]?.id ?? '';
    await letter(tenantId, 31, 1);
    await letter(null, 31, 2);
    await letter(tenantId, 40, 3);
    const kept = [await letter('43', 31, 4), await letter(tenantId, 29, 5)];
    const batch = { tenantId, olderThanMs: 30 * day, limit: 2 };
    expect(await drain(() => purgeDeadLetters(t.orm.em.fork(), batch), 2)).toEqual({
      deleted: 3,
      batches: 2,
    });
    expect(await ids('pricebook_dead_letters')).toEqual(kept.sort());

    const quarantined = async (daysAgo: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_quarantine (tenant_id, entity_type, raw, reason, created_at)
           values (?, 'materials', '{}'::jsonb, 'bad', now() - make_interval(days => ?)) returning id`,
          [tenantId, daysAgo],
        )
      )[0]?.id ?? '';
    await quarantined(31);
    const recent = await quarantined(29);
    expect(await drain(() => purgeQuarantine(t.orm.em.fork(), batch), 2)).toEqual({ deleted: 1, batches: 1 });
    expect(await ids('pricebook_quarantine')).toEqual([recent]);
  });
});

describe('purgeWebhookDeliveries', () => {
  it("deletes a tenant's finished deliveries past the retention and keeps pending ones, however old", async () => {
    await t.sql(
      'truncate pricebook_webhook_attempts, pricebook_webhook_deliveries, pricebook_webhook_subscriptions',
    );
    const subscription = async (tenant: string) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_webhook_subscriptions (tenant_id, url, event_types, secret, secrets_key_id)
           values (?, 'https://hooks.example.com/x', '{record.updated}', 'sealed', 'k1') returning id`,
          [tenant],
        )
      )[0]?.id ?? '';
    const mine = await subscription(tenantId);
    const theirs = await subscription('43');
    // Each delivery with two attempts: they go with it, or stay with it.
    const delivery = async (sub: string, tenant: string, status: string, daysAgo: number) => {
      const id =
        (
          await t.sql<{ id: string }>(
            `insert into pricebook_webhook_deliveries (subscription_id, tenant_id, event_id, event_type, occurred_at, payload, status, created_at)
             values (?, ?, ?, 'record.updated', now(), '{}'::jsonb, ?, now() - make_interval(days => ?)) returning id`,
            [sub, tenant, randomUUID(), status, daysAgo],
          )
        )[0]?.id ?? '';
      await t.sql(
        `insert into pricebook_webhook_attempts (delivery_id, subscription_id, tenant_id, attempt, attempted_at, outcome, status_code, duration_ms)
         select ?::uuid, ?::uuid, ?, n, now() - make_interval(days => ?), 'failed', 500, 10 from generate_series(1, 2) n`,
        [id, sub, tenant, daysAgo],
      );
      return id;
    };
    await delivery(mine, tenantId, 'succeeded', 31);
    await delivery(mine, tenantId, 'succeeded', 40);
    await delivery(mine, tenantId, 'failed', 31);
    const kept = [
      await delivery(mine, tenantId, 'pending', 60),
      await delivery(mine, tenantId, 'succeeded', 29),
      await delivery(theirs, '43', 'succeeded', 31),
    ];
    const batch = { tenantId, olderThanMs: 30 * day, limit: 2 };
    expect(await drain(() => purgeWebhookDeliveries(t.orm.em.fork(), batch), 2)).toEqual({
      deleted: 3,
      batches: 2,
    });
    expect(await ids('pricebook_webhook_deliveries')).toEqual(kept.sort());
    const attempts = await t.sql<{ delivery_id: string }>(
      'select delivery_id from pricebook_webhook_attempts order by delivery_id',
    );
    expect(attempts.map((a) => a.delivery_id)).toEqual(kept.sort().flatMap((id) => [id, id]));
  });
});

describe('purgeChangeSets', () => {
  it("deletes old change-sets the audit retention emptied, and keeps one with a change left, a recent one and another tenant's", async () => {
    await t.sql('truncate pricebook_changesets');
    const changeSet = async (tenant: string, daysAgo: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_changesets (id, tenant_id, kind, created_at)
           values (gen_random_uuid(), ?, 'edit', now() - make_interval(days => ?)) returning id`,
          [tenant, daysAgo],
        )
      )[0]?.id ?? '';
    await changeSet(tenantId, 100);
    await changeSet(tenantId, 95);
    await changeSet(tenantId, 91);
    const withChange = await changeSet(tenantId, 100);
    await t.sql(`update pricebook_changes set changeset_id = ? where id = ?`, [
      withChange,
      await change(randomUUID(), 100),
    ]);
    const kept = [withChange, await changeSet(tenantId, 10), await changeSet('43', 100)];
    const batch = { tenantId, olderThanMs: 90 * day, limit: 2 };
    expect(await drain(() => purgeChangeSets(t.orm.em.fork(), batch), 2)).toEqual({ deleted: 3, batches: 2 });
    expect(await ids('pricebook_changesets')).toEqual(kept.sort());
  });
});

describe('purgeRevokedSessions and purgeSessionCutoffs', () => {
  it('delete the rows whose sessions have expired, in batches, and keep the ones still needed', async () => {
    await t.sql('truncate pricebook_revoked_sessions, pricebook_session_cutoffs');
    for (const [nonce, expires] of [
      ['old-1', `now() - interval '1 hour'`],
      ['old-2', `now() - interval '1 minute'`],
      ['old-3', `now() - interval '2 days'`],
      ['live', `now() + interval '1 hour'`],
    ] as const) {
      await t.sql(
        `insert into pricebook_revoked_sessions (nonce, kid, expires_at) values (?, 'viewer:0123456789ab', ${expires})`,
        [nonce],
      );
    }
    await t.sql(
      `insert into pricebook_session_cutoffs (kid, not_before, expires_at, revoked_by) values
         ('viewer:0123456789ab', now() - interval '9 hours', now() - interval '1 hour', 'admin:0123456789ab'),
         ('*', now(), now() + interval '8 hours', 'admin:0123456789ab')`,
    );
    const em = t.orm.em.fork();
    expect(await drain(() => purgeRevokedSessions(em, { limit: 2 }), 2)).toEqual({ deleted: 3, batches: 2 });
    expect(await t.sql('select nonce from pricebook_revoked_sessions')).toEqual([{ nonce: 'live' }]);
    expect(await purgeSessionCutoffs(em, { limit: 10 })).toBe(1);
    expect(await t.sql('select kid from pricebook_session_cutoffs')).toEqual([{ kid: '*' }]);
  });
});

describe('purgeDeadLetters', () => {
  it('purges a discarded dead letter past the retention like an open one, and keeps a recent one', async () => {
    const letter = async (daysAgo: number, seq: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_dead_letters (tenant_id, stream, consumer, subject, stream_seq, delivery_count, payload, reason, created_at, discarded_at, discarded_by, discard_reason)
           values (?, 'PRICEBOOK_INBOUND', 'applier-inbound', 's', ?, 1, '{}', 'bad', now() - make_interval(days => ?), now(), 'operator:test', 'a test message')
           returning id`,
          [tenantId, seq, daysAgo],
        )
      )[0]?.id ?? '';
    const old = await letter(31, 101);
    const recent = await letter(1, 102);
    const batch = { tenantId, olderThanMs: 30 * day, limit: 10 };
    expect(await purgeDeadLetters(t.orm.em.fork(), batch)).toBe(1);
    const left = await ids('pricebook_dead_letters');
    expect(left).not.toContain(old);
    expect(left).toContain(recent);
  });
});
