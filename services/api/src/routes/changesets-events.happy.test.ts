import type { Message } from '@pricebook/contracts';
import { claimOutboxBatch, outboxMessage } from '@pricebook/outbox';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { engineWrite, insertSyncLog } from '../test-support/changes';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());

type RecordMessage = Message<'record.created' | 'record.updated' | 'record.deleted'>;

interface AuditRow {
  id: string;
  record_id: string;
  changeset_id: string | null;
}

const recordTypes = ['record.created', 'record.updated', 'record.deleted'];

/**
 * The tenant's record events as the relay would publish them (its claim and its envelope), so the
 * test sees what a subscriber or a webhook receives; the claim ends with the transaction and
 * publishes nothing.
 */
async function relayedEvents(tenant: string): Promise<RecordMessage[]> {
  return h.orm.em.fork().transactional(async (em) => {
    const entries = await claimOutboxBatch(em, 10_000, { types: recordTypes });
    return entries
      .filter((e) => e.tenantId === tenant)
      .map((e) => {
        const built = outboxMessage(e);
        if (!built.ok) throw new Error(built.reason);
        return built.message as RecordMessage;
      });
  });
}

const auditRows = (tenant: string) =>
  h.sql<AuditRow>(
    'select id, record_id, changeset_id from pricebook_changes where tenant_id = ? order by seq',
    [tenant],
  );

/** The audit row ids `GET /api/changesets/{id}` lists. */
async function listedChanges(tenant: string, changeSetId: string): Promise<string[]> {
  const res = await call<{ changes: Array<{ id: string }> }>(
    h.app({ tenantId: tenant }),
    'GET',
    `/api/changesets/${changeSetId}`,
    { key: keys.viewer },
  );
  expect(res.status).toBe(200);
  return res.body.changes.map((c) => c.id);
}

/** The change-set each event names, beside the audit row's, one pair per change in order. */
async function eventAndAuditChangeSets(tenant: string) {
  const [events, audit] = await Promise.all([relayedEvents(tenant), auditRows(tenant)]);
  expect(events).toHaveLength(audit.length);
  return audit.map((a, i) => ({
    recordId: a.record_id,
    audit: a.changeset_id,
    event: events[i]?.data.changeSetId,
    eventRecordId: events[i]?.data.recordId,
  }));
}

describe('the change-set on record events', () => {
  it("names an API edit's change-set, the audit row's, which GET /api/changesets/{id} lists", async () => {
    const tenant = h.tenant();
    const [id = ''] = await seedMaterials(h, tenant, [stMaterial(1)]);
    const edit = await call(h.app({ tenantId: tenant }), 'PATCH', `/api/pricebook/materials/${id}`, {
      key: keys.operator,
      body: { price: 15 },
    });
    expect(edit.status).toBe(200);

    const [pair] = await eventAndAuditChangeSets(tenant);
    expect(pair?.audit).toEqual(expect.any(String));
    expect(pair).toEqual({ recordId: id, audit: pair?.audit, event: pair?.audit, eventRecordId: id });
    const [audit] = await auditRows(tenant);
    expect(await listedChanges(tenant, pair?.audit ?? '')).toEqual([audit?.id]);
  });

  it("gives every event of a bulk edit the bulk edit's change-set", async () => {
    const tenant = h.tenant();
    const ids = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2)]);
    const res = await call<{ changeSetId: string }>(
      h.app({ tenantId: tenant }),
      'POST',
      '/api/pricebook/materials/bulk',
      { key: keys.operator, body: { items: ids.map((id, i) => ({ id, fields: { price: 50 + i } })) } },
    );
    expect(res.status).toBe(200);
    const changeSetId = res.body.changeSetId;

    const pairs = await eventAndAuditChangeSets(tenant);
    expect(pairs).toEqual(
      ids.map((id) => ({ recordId: id, audit: changeSetId, event: changeSetId, eventRecordId: id })),
    );
    const audit = await auditRows(tenant);
    expect(await listedChanges(tenant, changeSetId)).toEqual(audit.map((a) => a.id));
  });

  it("gives the events of a revert the revert's own change-set, not the one it undid", async () => {
    const tenant = h.tenant();
    const [id = ''] = await seedMaterials(h, tenant, [stMaterial(1, { price: 10 })]);
    const app = h.app({ tenantId: tenant });
    const bulk = await call<{ changeSetId: string }>(app, 'POST', '/api/pricebook/materials/bulk', {
      key: keys.operator,
      body: { items: [{ id, fields: { price: 11 } }] },
    });
    const revert = await call<{ changeSetId: string }>(
      app,
      'POST',
      `/api/changesets/${bulk.body.changeSetId}/revert`,
      {
        key: keys.operator,
        body: { dryRun: false },
      },
    );
    expect(revert.status, JSON.stringify(revert.body)).toBe(200);
    const revertId = revert.body.changeSetId;

    const pairs = await eventAndAuditChangeSets(tenant);
    expect(pairs).toEqual([
      { recordId: id, audit: bulk.body.changeSetId, event: bulk.body.changeSetId, eventRecordId: id },
      { recordId: id, audit: revertId, event: revertId, eventRecordId: id },
    ]);
    const [, undone] = await auditRows(tenant);
    expect(await listedChanges(tenant, revertId)).toEqual([undone?.id]);
  });

  it("names on a sync's applied change the sync's change-set, which GET /api/changesets/{id} lists", async () => {
    const tenant = h.tenant();
    const ids = await seedMaterials(h, tenant, [stMaterial(1), stMaterial(2)]);
    const syncLogId = await insertSyncLog(h, tenant);
    // As the applier writes a sync's changes: its transaction marked with the sync.
    await engineWrite(h, ids, { description: 'from ST' }, { origin: 'st', syncLogId, actor: 'applier' });

    const pairs = await eventAndAuditChangeSets(tenant);
    expect(pairs).toEqual(
      ids.map((id) => ({ recordId: id, audit: syncLogId, event: syncLogId, eventRecordId: id })),
    );
    const audit = await auditRows(tenant);
    expect(await listedChanges(tenant, syncLogId)).toEqual(audit.map((a) => a.id));
  });

  it('leaves the field out of the event of a change that belongs to no change-set', async () => {
    const tenant = h.tenant();
    const [id = ''] = await seedMaterials(h, tenant, [stMaterial(1)]);
    // A tool writing SQL directly names no change-set: the trigger records the edit without one.
    await h.sql(`update pricebook_materials set data = data || '{"price": 99}' where id = ?`, [id]);

    const [event] = await relayedEvents(tenant);
    expect(event?.data.recordId).toBe(id);
    expect(event?.data).not.toHaveProperty('changeSetId');
    expect(await auditRows(tenant)).toMatchObject([{ changeset_id: null }]);
  });
});
