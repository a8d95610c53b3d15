import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Io } from './io';

/**
 * An `Io` that keeps what a command writes, for tests: its lines in `stdout` and `stderr`, the
 * environment pointing at `url` with a test key (plus `env`), and `stdin` as what was piped in.
 *
 * @example
 * const out = recordingIo(url);
 * await run(['status'], out);
 * out.stdout; // ['…']
 */
export function recordingIo(
  url: string,
  env: Record<string, string> = {},
  stdin = '',
): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    errRaw: (t) => stderr.push(t),
    errIsTty: false,
    columns: 80,
    env: { PRICEBOOK_API_URL: url, PRICEBOOK_API_KEY: 'test-key', ...env },
    readStdin: async () => stdin,
  };
}

/** One request the stand-in API received. */
export interface SeenRequest {
  method: string;
  /** With its query string. */
  path: string;
  /** The `Pricebook-Tenant` header, if sent. */
  tenant: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** An answer of the stand-in API; without `body`, an empty answer. */
export interface StubAnswer {
  status: number;
  body?: unknown;
}

/**
 * A stand-in API on 127.0.0.1 for one test file's CLI commands: it records every request in
 * `seen` and answers from `answers`, keyed `<METHOD> <path>` with the query string or, failing
 * that, without it; anything else gets `otherwise`. Both are emptied before each test.
 *
 * @example
 * const api = stubApiForFile({ otherwise: { status: 404, body: {} } });
 * api.answers.set('GET /api/changesets', { status: 200, body: list });
 * await run(['changesets', 'list'], recordingIo(api.url));
 */
export function stubApiForFile(options: { otherwise: StubAnswer }): {
  readonly url: string;
  seen: SeenRequest[];
  answers: Map<string, StubAnswer>;
} {
  const seen: SeenRequest[] = [];
  const answers = new Map<string, StubAnswer>();
  let url = '';
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      const path = req.url ?? '';
      const header = req.headers['pricebook-tenant'];
      seen.push({
        method: req.method ?? '',
        path,
        tenant: typeof header === 'string' ? header : undefined,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
      });
      const answer =
        answers.get(`${req.method} ${path}`) ??
        answers.get(`${req.method} ${path.split('?')[0]}`) ??
        options.otherwise;
      if (answer.body === undefined) {
        res.writeHead(answer.status);
        res.end();
        return;
      }
      res.writeHead(answer.status, {
        'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json',
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answers.clear();
  });
  return {
    get url() {
      return url;
    },
    seen,
    answers,
  };
}
