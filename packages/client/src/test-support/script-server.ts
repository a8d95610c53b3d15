import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the scripted server. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

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
 * server.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 200, body: { ok: true } });
 */
export async function scriptServer(): Promise<ScriptServer> {
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
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    script(...next) {
      answers = next;
      received.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
