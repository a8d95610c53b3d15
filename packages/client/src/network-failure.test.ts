import { connect, createServer as createTcpServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { networkFailure } from './network-failure';
import { freePort, scriptServer } from './test-support/script-server';

/** What Node's own fetch rejected with. */
async function rejectionOf(url: string, init?: RequestInit): Promise<unknown> {
  try {
    await fetch(url, init);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${url} to fail`);
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('networkFailure, of the errors Node 20 fetch really rejects with', () => {
  it('a port where nothing listens: connection refused', async () => {
    const error = await rejectionOf(`http://127.0.0.1:${await freePort()}/`);
    expect(networkFailure(error)).toEqual({
      code: 'ECONNREFUSED',
      reason: 'connection refused',
      transient: true,
      connected: false,
    });
  });

  it('a server that closes the connection without answering', async () => {
    const server = await scriptServer();
    server.script('drop');
    try {
      expect(networkFailure(await rejectionOf(server.url))).toEqual({
        code: 'UND_ERR_SOCKET',
        reason: 'connection closed before an answer',
        transient: true,
        connected: true,
      });
    } finally {
      await server.close();
    }
  });

  it('a peer that resets the connection', async () => {
    const server = createTcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const port = await listening(server);
    try {
      expect(networkFailure(await rejectionOf(`http://127.0.0.1:${port}/`))).toEqual({
        code: 'ECONNRESET',
        reason: 'connection reset',
        transient: true,
        connected: true,
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('every address of a name refused: an AggregateError without a message, read by its code', async () => {
    const port = await freePort();
    // Node tries each address of a name (here ::1 and 127.0.0.1) and reports them together, as it
    // does under fetch for `localhost` on a host that maps it to both; fetch wraps it as its cause.
    const aggregate = await new Promise<Error>((resolve) => {
      const socket = connect({
        host: 'localhost',
        port,
        autoSelectFamily: true,
        lookup: (_host, _options, callback) =>
          callback(null, [
            { address: '::1', family: 6 },
            { address: '127.0.0.1', family: 4 },
          ]),
      });
      socket.on('error', resolve);
    });
    expect(aggregate).toMatchObject({ name: 'AggregateError', message: '' });
    expect(networkFailure(new TypeError('fetch failed', { cause: aggregate }))).toMatchObject({
      code: 'ECONNREFUSED',
      reason: 'connection refused',
    });
  });

  it('what fetch refuses outright is said, and never worth another try', async () => {
    // Port 9 is on fetch's list of ports it will not use.
    expect(networkFailure(await rejectionOf('http://127.0.0.1:9/'))).toEqual({
      code: undefined,
      reason: 'bad port',
      transient: false,
      connected: false,
    });
  });

  it('an abort or the caller’s timeout is no network failure', async () => {
    const server = await scriptServer();
    server.script('hold');
    try {
      const controller = new AbortController();
      controller.abort();
      expect(networkFailure(await rejectionOf(server.url, { signal: controller.signal }))).toBeUndefined();
      expect(
        networkFailure(await rejectionOf(server.url, { signal: AbortSignal.timeout(1) })),
      ).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('a bug is no network failure; a browser’s network TypeError is one', () => {
    expect(networkFailure(new TypeError('api.GET is not a function'))).toBeUndefined();
    expect(networkFailure(new Error('fetch failed'))).toBeUndefined();
    // Browsers give no cause; the message is what they say (Chrome's here).
    expect(networkFailure(new TypeError('Failed to fetch'))).toEqual({
      code: undefined,
      reason: 'network error',
      transient: true,
      connected: true,
    });
  });
});
