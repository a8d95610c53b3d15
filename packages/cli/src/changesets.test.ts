import { describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo, stubApiForFile } from './test-support';

const id = 'e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b';
const revertId = '5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a';
const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const changeSet = {
  id,
  kind: 'bulk_edit',
  actor: 'api:operator:3f9a0c1b2d4e',
  createdAt: '2025-12-06T09:30:00.000Z',
  entityTypes: ['materials'],
  counts: { changes: 2, records: 2, created: 0, updated: 2, deleted: 0, restored: 0 },
  revertsChangeSetId: null,
  revertedByChangeSetId: null,
};
const revertAnswer = (dryRun: boolean) => ({
  success: true,
  dryRun,
  revertsChangeSetId: id,
  changeSetId: dryRun ? null : revertId,
  reverted: [
    {
      entity: 'materials',
      recordId,
      stId: 48213,
      action: 'update',
      fields: ['price'],
      values: { price: 42.5 },
    },
  ],
  skipped: [
    {
      entity: 'materials',
      recordId,
      stId: 48214,
      fields: ['price'],
      reason: 'changed_since',
      message: 'price changed after this change-set; kept at the later value',
      laterChangeId: null,
    },
  ],
});

const io = () => recordingIo(api.url);

const api = stubApiForFile({ otherwise: { status: 404, body: {} } });
const { seen, answers } = api;

describe('pricebook changesets', () => {
  it('lists change-sets as a table, passing the filters on', async () => {
    answers.set('GET /api/changesets', {
      status: 200,
      body: { success: true, changeSets: [changeSet], page: { limit: 50, nextCursor: null } },
    });
    const out = io();
    const code = await run(['changesets', 'list', '--kind', 'bulk_edit', '--entity', 'materials'], out);
    expect(code, out.stderr.join('\n')).toBe(0);
    expect(seen[0]?.path).toBe('/api/changesets?kind=bulk_edit&entity=materials');
    expect(out.stdout[0]).toMatch(/^ID +KIND +ACTOR +CHANGES +ENTITIES +CREATED +REVERTED BY/);
    expect(out.stdout[0]).toContain(`${id}  bulk_edit  api:operator:3f9a0c1b2d4e`);
  });

  it('shows one change-set with its changes', async () => {
    answers.set(`GET /api/changesets/${id}`, {
      status: 200,
      body: {
        success: true,
        changeSet,
        changes: [],
        page: { limit: 50, nextCursor: null },
      },
    });
    const out = io();
    expect(await run(['changesets', 'show', id], out)).toBe(0);
    expect(out.stdout[1]).toBe('2 changes to 2 rows: 0 created · 2 updated · 0 deleted · 0 restored');
  });

  it('revert reverts; --dry-run only asks what it would do', async () => {
    answers.set(`POST /api/changesets/${id}/revert`, { status: 200, body: revertAnswer(false) });
    const out = io();
    expect(await run(['changesets', 'revert', id], out)).toBe(0);
    expect(seen[0]?.body).toEqual({ dryRun: false });
    expect(out.stdout[0]).toBe(`wrote back 1 rows of ${id} as change-set ${revertId}`);
    expect(out.stdout.join('\n')).toMatch(/skipped 1:[\s\S]*48214 +changed_since/);

    seen.length = 0;
    answers.set(`POST /api/changesets/${id}/revert`, { status: 200, body: revertAnswer(true) });
    const dry = io();
    expect(await run(['changesets', 'revert', id, '--dry-run'], dry)).toBe(0);
    expect(seen[0]?.body).toEqual({ dryRun: true });
    expect(dry.stdout[0]).toBe(`dry run: would write back 1 rows of ${id}`);
  });

  it('a second revert is refused by the API and exits 1', async () => {
    answers.set(`POST /api/changesets/${id}/revert`, {
      status: 409,
      body: {
        type: 'https://pricebook-sync.dev/problems/conflict',
        status: 409,
        code: 'conflict',
        title: 'Conflict',
        detail: `change-set ${id} was already reverted`,
        retry: false,
        instance: `/api/changesets/${id}/revert`,
      },
    });
    const out = io();
    expect(await run(['changesets', 'revert', id], out)).toBe(1);
    expect(out.stderr.join('\n')).toMatch(/already reverted/);
  });

  it('a missing id or an unknown kind is a usage error (2)', async () => {
    expect(await run(['changesets', 'revert'], io())).toBe(2);
    expect(await run(['changesets', 'list', '--kind', 'nightly'], io())).toBe(2);
    expect(seen).toEqual([]);
  });
});
