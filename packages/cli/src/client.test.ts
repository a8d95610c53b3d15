import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo } from './test-support';

/** What the fake API answers, by path: status, content type and body. */
type Answer = { status: number; type: string; body: string };
const answers = new Map<string, Answer>();
let server: Server;
let url: string;

const io = () => recordingIo(url);

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers.get((req.url ?? '').split('?')[0] ?? '') ?? {
      status: 404,
      type: 'text/plain',
      body: 'no such path',
    };
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';

describe('responses the CLI does not expect', () => {
  it('a status body of another shape is one clear line and exit 1', async () => {
    answers.set('/api/sync/pricebook/status', {
      status: 200,
      type: 'application/json',
      // An older or newer API: `stats` renamed, `scheduler` missing.
      body: JSON.stringify({ success: true, lastSync: null, counts: [], unresolvedConflicts: 0 }),
    });
    const out = io();
    expect(await run(['status'], out)).toBe(1);
    expect(out.stdout).toEqual([]);
    expect(out.stderr).toHaveLength(1);
    expect(out.stderr[0]).toMatch(
      /^pricebook: the API's answer to GET \/api\/sync\/pricebook\/status is not what this CLI expects \(.*stats/,
    );
  });

  it('a body that is not JSON is the same clear error', async () => {
    answers.set('/api/sync/pricebook/logs', { status: 200, type: 'text/html', body: '<html>proxy</html>' });
    const out = io();
    expect(await run(['logs'], out)).toBe(1);
    expect(out.stderr[0]).toMatch(
      /^pricebook: the API's answer to GET \/api\/sync\/pricebook\/logs\?limit=20 is not what/,
    );
  });

  it('a malformed progress event ends --wait with a clear error, not a stack trace', async () => {
    answers.set('/api/sync/pricebook/full', {
      status: 202,
      type: 'application/json',
      body: JSON.stringify({ success: true, syncLogId, status: 'queued' }),
    });
    answers.set(`/api/sync/pricebook/logs/${syncLogId}/events`, {
      status: 200,
      type: 'text/event-stream',
      body: `event: progress\ndata: ${JSON.stringify({ syncLogId, status: 'running' })}\nid: 1\n\n`,
    });
    const out = io();
    expect(await run(['sync', 'full', '--wait'], out)).toBe(1);
    expect(out.stderr.at(-1)).toMatch(
      new RegExp(`^pricebook: the progress of sync ${syncLogId} is not what this CLI expects \\(`),
    );
  });

  it('a problem+json refusal still reads as its code and detail', async () => {
    answers.set('/api/sync/pricebook/conflicts', {
      status: 403,
      type: 'application/problem+json',
      body: JSON.stringify({
        type: 'https://pricebook-sync.dev/problems/forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'this operation needs the operator role; the key has viewer',
        code: 'forbidden',
        retry: false,
      }),
    });
    const out = io();
    expect(await run(['conflicts', 'list'], out)).toBe(3);
    expect(out.stderr).toEqual([
      'pricebook: 403 forbidden: this operation needs the operator role; the key has viewer',
    ]);
  });
});
