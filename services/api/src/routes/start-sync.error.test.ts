import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { type CallResult, call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; in: string; message: string }>;
  runningSyncLogId?: string;
  entityType?: string;
};

const full = '/api/sync/pricebook/full';

function expectProblem(res: CallResult<Problem>, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body.status).toBe(status);
}

const fieldsOf = (res: CallResult<Problem>) => (res.body.errors ?? []).map((e) => `${e.in}:${e.path}`);

describe('a second sync of a running entity', () => {
  it('is refused with 409 naming the running sync; another entity is accepted', async () => {
    const app = h.app({ tenantId: h.tenant() });
    const first = await call(app, 'POST', full, { key: keys.operator, body: { entityTypes: ['materials'] } });
    expect(first.status).toBe(202);

    const second = await call<Problem>(app, 'POST', '/api/sync/pricebook/incremental', {
      key: keys.operator,
      body: { entityTypes: ['categories', 'materials'] },
    });
    expectProblem(second, 409);
    expect(second.body).toMatchObject({
      code: 'conflict',
      runningSyncLogId: first.body.syncLogId,
      entityType: 'materials',
    });
    expect(second.body.detail).toContain(String(first.body.syncLogId));

    const other = await call(app, 'POST', full, {
      key: keys.operator,
      body: { entityTypes: ['categories'] },
    });
    expect(other.status).toBe(202);
  });

  it('is accepted once the running sync released its lock', async () => {
    const app = h.app({ tenantId: h.tenant() });
    const first = await call(app, 'POST', full, { key: keys.operator, body: { entityTypes: ['services'] } });
    await h.sql('delete from pricebook_sync_runs where sync_log_id = ?', [first.body.syncLogId]);
    const again = await call(app, 'POST', full, { key: keys.operator, body: { entityTypes: ['services'] } });
    expect(again.status).toBe(202);
  });
});

describe('bad sync requests answer 400 naming each field', () => {
  const app = () => h.app({ tenantId: h.tenant() });

  it.each([
    ['an unknown entity type', { entityTypes: ['materials', 'widgets'] }, 'body:entityTypes.1'],
    ['a bad conflict strategy', { resolveConflicts: 'keep_both' }, 'body:resolveConflicts'],
    ['a bad direction', { direction: 'sideways' }, 'body:direction'],
    ['entity types that are not a list', { entityTypes: 'materials' }, 'body:entityTypes'],
    ['an empty entity list', { entityTypes: [] }, 'body:entityTypes'],
    ['a repeated entity type', { entityTypes: ['materials', 'materials'] }, 'body:entityTypes'],
    ['a dryRun that is not a boolean', { dryRun: 'yes' }, 'body:dryRun'],
    ['an unknown field (a typo must never start a real sync)', { dryrun: true }, 'body:dryrun'],
    ['fullSync false on /full', { fullSync: false }, 'body:fullSync'],
  ])('%s', async (_what, body, field) => {
    const res = await call<Problem>(app(), 'POST', full, { key: keys.operator, body });
    expectProblem(res, 400);
    expect(res.body.code).toBe('validation_failed');
    expect(fieldsOf(res)).toContain(field);
    expect(res.body.detail).toContain(field.split(':')[1]);
  });

  it('names every bad field at once', async () => {
    const res = await call<Problem>(app(), 'POST', full, {
      key: keys.operator,
      body: { direction: 'up', resolveConflicts: 'coin_flip', allowMassDelete: 'sure' },
    });
    expectProblem(res, 400);
    expect(fieldsOf(res).sort()).toEqual(['body:allowMassDelete', 'body:direction', 'body:resolveConflicts']);
  });

  it('fullSync true on /incremental', async () => {
    const res = await call<Problem>(app(), 'POST', '/api/sync/pricebook/incremental', {
      key: keys.operator,
      body: { fullSync: true },
    });
    expectProblem(res, 400);
    expect(res.body.errors?.[0]).toMatchObject({
      path: 'fullSync',
      message: expect.stringContaining('/full'),
    });
  });

  it('malformed JSON', async () => {
    const res = await call<Problem>(app(), 'POST', full, {
      key: keys.operator,
      raw: '{"entityTypes": [',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('a body that is not JSON', async () => {
    const res = await call<Problem>(app(), 'POST', full, {
      key: keys.operator,
      raw: 'entityTypes=materials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/application\/json/);
  });

  it('a body far larger than any sync request', async () => {
    const res = await call<Problem>(app(), 'POST', full, {
      key: keys.operator,
      raw: JSON.stringify({ entityTypes: ['materials'], padding: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/larger than/);
  });

  it('a JSON body that is not an object', async () => {
    const res = await call<Problem>(app(), 'POST', full, { key: keys.operator, body: ['materials'] });
    expectProblem(res, 400);
  });

  it('a bad wait flag', async () => {
    const res = await call<Problem>(app(), 'POST', `${full}?wait=maybe`, { key: keys.operator });
    expectProblem(res, 400);
    expect(fieldsOf(res)).toEqual(['query:wait']);
  });

  it('writes nothing for a refused request', async () => {
    const tenant = h.tenant();
    await call(h.app({ tenantId: tenant }), 'POST', full, {
      key: keys.operator,
      body: { entityTypes: ['x'] },
    });
    const rows = await h.sql('select id from pricebook_sync_log where tenant_id = ?', [tenant]);
    expect(rows).toHaveLength(0);
  });
});
