import { RejectionsResponse } from '@pricebook/contracts';
import { recordDeadLetter } from '@pricebook/db';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

interface Body {
  rejections: Array<{ subject: string; reason: string; streamSeq: number; consumer: string }>;
  page: { nextCursor: string | null };
}

// Dead letters are unique per (stream, consumer, sequence) across tenants, as in one JetStream.
let nextSeq = 1;

/** Dead letters as the applier's `recordPoison` writes them; returns their stream sequences. */
async function seed(tenant: string, n: number, stream = 'PRICEBOOK_INBOUND'): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 1; i <= n; i++) {
    const seq = nextSeq++;
    seqs.push(seq);
    await recordDeadLetter(h.orm.em.fork(), {
      tenantId: tenant,
      stream,
      consumer: stream === 'PRICEBOOK_INBOUND' ? 'applier-inbound' : 'applier',
      subject: `pricebook.inbound.${tenant}.${i % 2 ? 'materials' : 'services'}.upsert.v1`,
      streamSeq: seq,
      deliveryCount: 1,
      payload: '{"id":"x"}',
      reason: `rejected: validation_failed: the record is not valid: modifiedOn (read-only field) #${i}`,
    });
  }
  return seqs;
}

describe('GET /api/sync/pricebook/rejections', () => {
  it('lists every terminated message once across pages, newest first, with its reason', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const mine = await seed(tenant, 7);
    await seed(h.tenant(), 3);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const res = await call<Body>(app, 'GET', `/api/sync/pricebook/rejections${query}`, {
        key: keys.viewer,
      });
      expect(res.status).toBe(200);
      expect(RejectionsResponse.safeParse(res.body).error).toBeUndefined();
      seen.push(...res.body.rejections.map((r) => r.streamSeq));
      cursor = res.body.page.nextCursor;
    } while (cursor);
    expect(seen.sort((a, b) => a - b)).toEqual(mine);
  });

  it('filters by stream and by subject prefix', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const inbound = await seed(tenant, 4);
    await seed(tenant, 2, 'PRICEBOOK_PIPELINE');
    const byStream = await call<Body>(
      app,
      'GET',
      '/api/sync/pricebook/rejections?stream=PRICEBOOK_PIPELINE',
      {
        key: keys.viewer,
      },
    );
    expect(byStream.body.rejections).toHaveLength(2);
    const prefix = encodeURIComponent(`pricebook.inbound.${tenant}.materials.>`);
    const bySubject = await call<Body>(
      app,
      'GET',
      `/api/sync/pricebook/rejections?stream=PRICEBOOK_INBOUND&subject=${prefix}`,
      { key: keys.viewer },
    );
    // Odd positions were published on the materials subject.
    expect(bySubject.body.rejections.map((r) => r.streamSeq).sort((a, b) => a - b)).toEqual([
      inbound[0],
      inbound[2],
    ]);
    expect(bySubject.body.rejections[0]?.reason).toMatch(/read-only field/);
  });
});
