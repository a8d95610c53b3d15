import { DiscardResult, RejectionsResponse } from '@pricebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo, stubApiForFile } from './test-support';

const id = '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d';
const open = {
  id,
  stream: 'PRICEBOOK_INBOUND',
  consumer: 'applier-inbound',
  subject: 'pricebook.inbound.1001.materials.upsert.v1',
  streamSeq: 118,
  deliveryCount: 1,
  reason: 'rejected: not_found: no materials row with ST id 77',
  payload: '{"id":"vendor-feed:test"}',
  createdAt: '2026-12-06T02:00:06.000Z',
  status: 'open',
  discardedAt: null,
  discardedBy: null,
  discardReason: null,
};
const discarded = {
  ...open,
  status: 'discarded',
  discardedAt: '2026-12-06T09:12:40.000Z',
  discardedBy: 'operator:0a1b2c3d4e5f',
  discardReason: 'test message sent by hand',
};

const api = stubApiForFile({ otherwise: { status: 404, body: {} } });
const { seen, answers } = api;

beforeAll(() => {
  // The answers below are the contracts' shapes: a fixture that drifts from them fails here first.
  RejectionsResponse.parse({ success: true, rejections: [open], page: { limit: 50, nextCursor: null } });
  DiscardResult.parse({ success: true, rejection: discarded });
});

describe('pricebook rejections', () => {
  it('lists the discarded ones with who dropped them and why', async () => {
    answers.set('GET /api/sync/pricebook/rejections', {
      status: 200,
      body: { success: true, rejections: [discarded], page: { limit: 50, nextCursor: null } },
    });
    const out = recordingIo(api.url);
    const code = await run(
      ['rejections', 'list', '--status', 'discarded', '--stream', 'PRICEBOOK_INBOUND'],
      out,
    );
    expect(code, out.stderr.join('\n')).toBe(0);
    expect(seen[0]?.path).toBe('/api/sync/pricebook/rejections?status=discarded&stream=PRICEBOOK_INBOUND');
    expect(out.stdout[0]).toMatch(/^ID +STATUS +WHEN +SUBJECT +REASON/);
    expect(out.stdout[0]).toContain('test message sent by hand (discarded by operator:0a1b2c3d4e5f)');
  });

  it('discards one with the reason given; a second discard is one line and exit 1', async () => {
    answers.set(`POST /api/sync/pricebook/rejections/${id}/discard`, {
      status: 200,
      body: { success: true, rejection: discarded },
    });
    const out = recordingIo(api.url);
    const code = await run(['rejections', 'discard', id, '--reason', 'test message sent by hand'], out);
    expect(code, out.stderr.join('\n')).toBe(0);
    expect(seen[0]).toEqual({
      method: 'POST',
      path: `/api/sync/pricebook/rejections/${id}/discard`,
      body: { reason: 'test message sent by hand' },
    });
    expect(out.stdout.join('\n')).toContain('discarded by operator:0a1b2c3d4e5f');

    answers.set(`POST /api/sync/pricebook/rejections/${id}/discard`, {
      status: 409,
      body: {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'conflict',
        detail: 'the dead letter was already discarded by operator:0a1b2c3d4e5f at 2026-12-06T09:12:40.000Z',
      },
    });
    const again = recordingIo(api.url);
    expect(await run(['rejections', 'discard', id, '--reason', 'again'], again)).toBe(1);
    expect(again.stderr.join('\n')).toContain('already discarded');
  });

  it('refuses a discard without a reason before calling the API (exit 2)', async () => {
    for (const args of [
      ['rejections', 'discard', id],
      ['rejections', 'discard', id, '--reason', '  '],
    ]) {
      const out = recordingIo(api.url);
      expect(await run(args, out)).toBe(2);
      expect(out.stderr.join('\n')).toContain('--reason');
    }
    expect(seen).toEqual([]);
  });

  it('redrives one', async () => {
    answers.set(`POST /api/sync/pricebook/rejections/${id}/redrive`, {
      status: 200,
      body: {
        success: true,
        redriven: { id, subject: open.subject, messageId: 'vendor-feed:test', natsMsgId: `redrive:${id}` },
      },
    });
    const out = recordingIo(api.url);
    expect(await run(['rejections', 'redrive', id], out), out.stderr.join('\n')).toBe(0);
    expect(out.stdout[0]).toContain(`published again on ${open.subject} (redrive:${id})`);
  });
});
