import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@pricebook/logger';
import { describe, expect, it } from 'vitest';
import { serveHttp } from './http';

const log = createLogger({ service: 'test', level: 'silent' });

/** A handler whose `/slow` answers after `ms`. */
const handler = (ms: number) => async (request: Request) => {
  if (new URL(request.url).pathname === '/slow') await sleep(ms);
  return new Response('ok');
};

describe('serveHttp', () => {
  it('lets a request in flight finish within the grace, then stops', async () => {
    const http = await serveHttp({ fetch: handler(300), port: 0, host: '127.0.0.1', log, graceMs: 5_000 });
    const answer = fetch(`http://127.0.0.1:${http.port}/slow`).then((res) => res.text());
    await sleep(50);
    const started = Date.now();
    await http.stop();
    // Not held by the idle keep-alive connection the answer leaves behind.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await answer).toBe('ok');
    await expect(fetch(`http://127.0.0.1:${http.port}/`)).rejects.toThrow();
  });

  it('cuts a request that outlasts the grace, so a stop never hangs on a slow client', async () => {
    const http = await serveHttp({ fetch: handler(30_000), port: 0, host: '127.0.0.1', log, graceMs: 100 });
    const answer = fetch(`http://127.0.0.1:${http.port}/slow`).then(
      () => 'answered',
      () => 'cut',
    );
    await sleep(50);
    const started = Date.now();
    await http.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await answer).toBe('cut');
  });

  it('resolves `stopped` once the server has closed (what the kit watches for a server that closes unasked)', async () => {
    const http = await serveHttp({ fetch: handler(0), port: 0, host: '127.0.0.1', log });
    let ended = false;
    void http.stopped?.then(() => {
      ended = true;
    });
    await http.stop();
    expect(ended).toBe(true);
  });
});
