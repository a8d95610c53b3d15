import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeEmbeddingsOptions {
  /** Width of the vectors when a request names none (default 1536, the columns' width). */
  dimensions?: number;
  /** Word → word it stands for, so a test can make two words mean the same. */
  synonyms?: Readonly<Record<string, string>>;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
}

export interface FakeEmbeddingsRequest {
  model: string;
  input: string[];
  dimensions: number | undefined;
}

/** An OpenAI-compatible embeddings server for tests, on 127.0.0.1. */
export interface FakeEmbeddings {
  /** The base URL (`…/v1`) to use as `EMBEDDINGS_URL`. */
  url: string;
  /** Every request answered, in order. */
  requests: FakeEmbeddingsRequest[];
  /** Every text embedded so far, in order. */
  texts(): string[];
  /** The next `count` requests are answered with `status` (e.g. 429 or 503). */
  failNext(count: number, status: number): void;
  /** The vector this server gives `text`. */
  vectorOf(text: string, dimensions?: number): number[];
  close(): Promise<void>;
}

const words = (text: string, synonyms: Readonly<Record<string, string>>) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1)
    // A crude stemmer: plural and -ing forms land on the same word.
    .map((w) => w.replace(/(ing|es|s)$/, ''))
    .map((w) => synonyms[w] ?? w);

function slot(feature: string, dimensions: number): [number, number] {
  const digest = createHash('sha256').update(feature).digest();
  return [digest.readUInt32BE(0) % dimensions, (digest[4] ?? 0) & 1 ? 1 : -1];
}

/**
 * A hashed bag of words and character trigrams, normalized: texts sharing words are near, and
 * the same text always gives the same vector.
 */
export function fakeEmbedding(
  text: string,
  dimensions = 1536,
  synonyms: Readonly<Record<string, string>> = {},
): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const [i, sign] = slot(feature, dimensions);
    vector[i] = (vector[i] ?? 0) + sign * weight;
  };
  for (const word of words(text, synonyms)) {
    add(`w:${word}`, 1);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.25);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((v) => v / norm);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts an OpenAI-compatible `POST /v1/embeddings` on a free port whose vectors are
 * deterministic functions of the text ({@link fakeEmbedding}).
 *
 * @example
 * const fake = await startFakeEmbeddings();
 * process.env.EMBEDDINGS_URL = fake.url; // http://127.0.0.1:PORT/v1
 * await fake.close();
 */
export async function startFakeEmbeddings(options: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddings> {
  const defaultDimensions = options.dimensions ?? 1536;
  const synonyms = options.synonyms ?? {};
  const requests: FakeEmbeddingsRequest[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.replace(/\?.*$/, '').endsWith('/embeddings')) {
        send(res, 404, { error: { message: 'not found' } });
        return;
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        // As some providers do, the refusal quotes the key it got: a test can see it is never logged.
        const got = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        send(res, 401, {
          error: { message: `Incorrect API key provided: ${got}`, type: 'invalid_request_error' },
        });
        return;
      }
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        res.writeHead(failures.status, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ error: { message: 'injected failure' } }));
        return;
      }
      const body = (await readJson(req)) as { model?: unknown; input?: unknown; dimensions?: unknown };
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      if (
        typeof body.model !== 'string' ||
        !Array.isArray(input) ||
        !input.every((t) => typeof t === 'string')
      ) {
        send(res, 400, { error: { message: 'model and input are required', type: 'invalid_request_error' } });
        return;
      }
      const dimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
      requests.push({ model: body.model, input, dimensions });
      send(res, 200, {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: fakeEmbedding(text, dimensions ?? defaultDimensions, synonyms),
        })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    })().catch((err: unknown) => send(res, 400, { error: { message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    texts: () => requests.flatMap((r) => r.input),
    failNext: (count, status) => {
      failures = { count, status };
    },
    vectorOf: (text, dimensions) => fakeEmbedding(text, dimensions ?? defaultDimensions, synonyms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
