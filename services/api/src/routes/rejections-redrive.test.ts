import { createMessage } from '@pricebook/contracts';
import { recordDeadLetter } from '@pricebook/db';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness({ nats: true }));

let nextSeq = 1;

/** A dead letter as the applier's `recordPoison` writes it; returns its id. */
async function deadLetter(tenant: string, payload: string, subject: string): Promise<string> {
  await recordDeadLetter(h.orm.em.fork(), {
    tenantId: tenant,
    stream: 'PRICEBOOK_INBOUND',
    consumer: 'applier-inbound',
    subject,
    streamSeq: nextSeq++,
    deliveryCount: 1,
    payload,
    reason: 'rejected: not_found: no materials row with ST id 77',
  });
  const [row] = await h.sql<{ id: string }>(
    'select id from pricebook_dead_letters where tenant_id = ? order by created_at desc limit 1',
    [tenant],
  );
  if (!row) throw new Error('dead letter not recorded');
  return row.id;
}

function inboundEdit(tenant: string) {
  return createMessage('inbound.upsert', {
    id: `vendor-feed:redrive:${tenant}`,
    tenant,
    correlationId: 'vendor-feed:redrive',
    data: { entity: 'materials', stId: 77, record: { cost: 3.5 } },
  });
}

describe('POST /api/sync/pricebook/rejections/{id}/redrive', () => {
  it('publishes the dead letter again on its subject and removes it', async () => {
    const tenant = h.tenant();
    const message = inboundEdit(tenant);
    const subject = `pricebook.inbound.${tenant}.materials.upsert.v1`;
    const id = await deadLetter(tenant, JSON.stringify(message), subject);

    const res = await call(
      h.app({ tenantId: tenant }),
      'POST',
      `/api/sync/pricebook/rejections/${id}/redrive`,
      {
        key: keys.operator,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      redriven: { id, subject, messageId: message.id, natsMsgId: `redrive:${id}` },
    });
    const js = h.nats?.js;
    if (!js) throw new Error('no nats');
    const jsm = await js.jetstreamManager();
    const stored = await jsm.streams.getMessage('PRICEBOOK_INBOUND', { last_by_subj: subject });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`redrive:${id}`);
    expect(JSON.parse(stored?.string() ?? '{}')).toEqual(message);
    expect(await h.sql('select id from pricebook_dead_letters where id = ?', [id])).toEqual([]);
  });

  it('refuses a payload that does not match the contract, and keeps the dead letter', async () => {
    const tenant = h.tenant();
    const id = await deadLetter(tenant, 'not json{', `pricebook.inbound.${tenant}.materials.upsert.v1`);
    const res = await call(
      h.app({ tenantId: tenant }),
      'POST',
      `/api/sync/pricebook/rejections/${id}/redrive`,
      {
        key: keys.operator,
      },
    );
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await h.sql('select id from pricebook_dead_letters where id = ?', [id])).toHaveLength(1);
  });

  it('refuses a discarded dead letter (409), publishes nothing and keeps its trace', async () => {
    const tenant = h.tenant();
    const subject = `pricebook.inbound.${tenant}.materials.upsert.v1`;
    const id = await deadLetter(tenant, JSON.stringify(inboundEdit(tenant)), subject);
    const app = h.app({ tenantId: tenant });
    const base = `/api/sync/pricebook/rejections/${id}`;
    const discarded = await call(app, 'POST', `${base}/discard`, {
      key: keys.operator,
      body: { reason: 'a test message; nothing to apply' },
    });
    expect(discarded.status).toBe(200);
    const res = await call<{ detail: string }>(app, 'POST', `${base}/redrive`, { key: keys.operator });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.detail).toMatch(/discarded/);
    const jsm = await h.nats?.js.jetstreamManager();
    if (!jsm) throw new Error('no nats');
    expect(await jsm.streams.getMessage('PRICEBOOK_INBOUND', { last_by_subj: subject })).toBeNull();
    expect(await h.sql('select discard_reason from pricebook_dead_letters where id = ?', [id])).toEqual([
      { discard_reason: 'a test message; nothing to apply' },
    ]);
  });

  it('needs the operator role and a dead letter of the tenant', async () => {
    const tenant = h.tenant();
    const subject = `pricebook.inbound.${tenant}.materials.upsert.v1`;
    const id = await deadLetter(tenant, JSON.stringify(inboundEdit(tenant)), subject);
    const path = `/api/sync/pricebook/rejections/${id}/redrive`;
    expect((await call(h.app({ tenantId: tenant }), 'POST', path, { key: keys.viewer })).status).toBe(403);
    expect((await call(h.app({ tenantId: h.tenant() }), 'POST', path, { key: keys.admin })).status).toBe(404);
  });
});
