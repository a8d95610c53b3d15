import { createServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';

/**
 * One answer of the scripted server; or `drop`: read the request, then close the connection
 * without a word (an API killed mid-request, a proxy dropping the connection); or `hold`: never answer.
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop' | 'hold';

/** One request the scripted server received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptServer {
  url: string;
  received: Received[];
  /** The answers of the next requests, in order; once used up, the last one repeats. */
  script(...answers: Answer[]): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that answers from a script and records every request (test support only).
 *
 * @example
 * const server = await scriptServer();
 * server.script({ status: 429, headers: { 'retry-after': '1' } }, 'drop', { status: 200, body: { ok: true } });
 */
export async function scriptServer(port = 0): Promise<ScriptServer> {
  let answers: Answer[] = [];
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? { status: 404 };
      if (answer === 'hold') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    script(...next) {
      answers = next;
      received.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A held request would keep the server open for ever.
        server.closeAllConnections();
      }),
  };
}

/**
 * A port of 127.0.0.1 where nothing listens (it did a moment ago), for a server that starts late.
 *
 * @example
 * const port = await freePort(); // fetch(`http://127.0.0.1:${port}`) is refused until scriptServer(port)
 */
export async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
