import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo } from './test-support';

/** The requests the API received, and how many of the next ones it drops without answering. */
const received: string[] = [];
let drops = 0;
let server: Server;
let url: string;

const emptyLogs = JSON.stringify({ success: true, logs: [], page: { limit: 20, nextCursor: null } });

beforeAll(async () => {
  // An API being restarted: it reads each request, then (while `drops` lasts) closes the connection.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(`${req.method} ${req.url}`);
      if (drops > 0) {
        drops--;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(emptyLogs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function expectDrops(count: number) {
  received.length = 0;
  drops = count;
}

/** A port where nothing listens, as while the API restarts. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('an API that cannot be reached', () => {
  it('is one line in words and exit 3, after the retries', async () => {
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const out = recordingIo(nowhere);
    expect(await run(['status'], out)).toBe(3);
    expect(out.stderr).toEqual([`pricebook: cannot reach the API at ${nowhere}: connection refused`]);
  });

  it('a read the API dropped once is sent again and succeeds', async () => {
    expectDrops(1);
    const out = recordingIo(url);
    expect(await run(['logs', '--json'], out), out.stderr.join('\n')).toBe(0);
    expect(JSON.parse(out.stdout.join('\n'))).toEqual(JSON.parse(emptyLogs));
    expect(received).toEqual(Array(2).fill('GET /api/sync/pricebook/logs?limit=20'));
  });

  it('a read the API keeps dropping ends with the reason, once every attempt failed', async () => {
    expectDrops(Number.POSITIVE_INFINITY);
    const out = recordingIo(url);
    expect(await run(['logs'], out)).toBe(3);
    expect(out.stderr).toEqual([
      `pricebook: cannot reach the API at ${url}: connection closed before an answer`,
    ]);
    expect(received).toHaveLength(4);
  });

  it('a sync request whose connection closed is not sent twice, and the line says it may have run', async () => {
    expectDrops(1);
    const out = recordingIo(url);
    expect(await run(['sync', 'full'], out)).toBe(3);
    expect(received).toEqual(['POST /api/sync/pricebook/full']);
    expect(out.stderr).toEqual([
      `pricebook: lost the connection to the API at ${url} before its answer to POST /api/sync/pricebook/full (connection closed before an answer): it may have been carried out; check before running it again`,
    ]);
  });
});
