import { AppError } from '@pricebook/errors';
import OpenAI from 'openai';
import PQueue from 'p-queue';
import type { EmbeddingsSettings } from './settings';

/** Turns texts into vectors; {@link EmbeddingsClient} is the real one. */
export interface Embedder {
  readonly model: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

const unavailable = (message: string, cause: unknown) =>
  new AppError('unavailable', message, { dependency: 'embeddings', cause });

/**
 * Maps a provider failure to the engine's error: a lost connection, a timeout, a 429 or a 5xx
 * (after the client's own retries), and a refused key or unknown model (an operator must fix the
 * settings) all mean the provider cannot be used now: an outage, which a consumer waits out
 * without spending its messages' retries. Any other 4xx is a request it will never accept.
 */
function providerError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof OpenAI.APIConnectionError) return unavailable('embeddings provider unreachable', err);
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    // The provider's own words stay out of the cause (which logs print): a refusal of a key may
    // quote it ("Incorrect API key provided: sk-…"). Its status and code say enough.
    const cause = new Error(`${err.name}: ${status}${err.code ? ` (${err.code})` : ''}`);
    if (status === 429 || status >= 500 || status === 401 || status === 403 || status === 404) {
      return unavailable(`embeddings provider answered ${status}`, cause);
    }
    return new AppError('validation_failed', `embeddings provider refused the request (${status})`, {
      cause,
      details: { status },
    });
  }
  return new AppError('internal', 'embeddings request failed', { cause: err });
}

/**
 * An OpenAI-compatible embeddings client: splits texts into requests of `batchSize`, starts at
 * most `requestsPerMinute` requests a minute with `concurrency` in flight (p-queue), and retries a
 * 429, a 5xx or a lost connection with backoff and `Retry-After` (the `openai` client's retries).
 * Every returned vector is checked against the expected width.
 *
 * @example
 * const client = new EmbeddingsClient(embeddingsSettingsOf({ url, model: 'text-embedding-3-small' }));
 * const [vector] = await client.embed(['copper elbow 1/2"']);
 */
export class EmbeddingsClient implements Embedder {
  readonly model: string;
  private readonly api: OpenAI;
  private readonly queue: PQueue;

  constructor(
    private readonly settings: EmbeddingsSettings,
    options: { fetch?: typeof fetch } = {},
  ) {
    this.model = settings.model;
    const azure = settings.apiVersion !== undefined;
    this.api = new OpenAI({
      baseURL: settings.url,
      // Local servers take no key; the client insists on one, so a placeholder is sent.
      apiKey: settings.apiKey ?? 'none',
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
      ...(azure ? { defaultQuery: { 'api-version': settings.apiVersion } } : {}),
      ...(azure && settings.apiKey ? { defaultHeaders: { 'api-key': settings.apiKey } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.queue = new PQueue({
      concurrency: settings.concurrency,
      intervalCap: settings.requestsPerMinute,
      interval: 60_000,
    });
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const chunks: string[][] = [];
    for (let i = 0; i < texts.length; i += this.settings.batchSize) {
      chunks.push(texts.slice(i, i + this.settings.batchSize));
    }
    const results = await Promise.all(
      chunks.map((chunk) => this.queue.add(() => this.request(chunk, signal))),
    );
    return results.flat();
  }

  /** The width of this model's vectors, as the provider answers it. */
  async probeDimensions(signal?: AbortSignal): Promise<number> {
    const [vector] = await this.embed(['dimension probe'], signal);
    return vector?.length ?? 0;
  }

  private async request(input: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await this.api.embeddings.create(
        {
          model: this.settings.model,
          input,
          // The client asks for base64 by default, which several local servers do not speak.
          encoding_format: 'float',
          ...(this.settings.dimensions !== undefined ? { dimensions: this.settings.dimensions } : {}),
        },
        signal ? { signal } : {},
      );
    } catch (err) {
      throw providerError(err);
    }
    const vectors = new Array<number[] | undefined>(input.length);
    for (const item of response.data) vectors[item.index] = item.embedding;
    return vectors.map((vector, i) => {
      if (!Array.isArray(vector) || vector.length === 0) {
        throw new AppError('internal', `embeddings provider returned no vector for input ${i}`);
      }
      if (this.settings.dimensions !== undefined && vector.length !== this.settings.dimensions) {
        throw new AppError(
          'internal',
          `embeddings provider returned ${vector.length} dimensions, not the ${this.settings.dimensions} asked for`,
        );
      }
      return vector;
    });
  }
}

/**
 * Refuses a model whose vectors do not fit the embedding columns: storing them is impossible,
 * and cutting or padding them would make every distance meaningless.
 *
 * @example
 * assertDimensions({ model: 'nomic-embed-text', provided: 768, column: 1536 }); // throws
 */
export function assertDimensions(args: { model: string; provided: number; column: number }): void {
  if (args.provided === args.column) return;
  throw new AppError(
    'validation_failed',
    `the embeddings model "${args.model}" returns vectors of ${args.provided} dimensions, but the pricebook's embedding columns hold ${args.column}. Use a model of ${args.column} dimensions, set EMBEDDINGS_DIMENSIONS=${args.column} if the model can shorten its vectors, or change the columns' width with a migration (see docs/search.md).`,
    { details: { model: args.model, provided: args.provided, column: args.column } },
  );
}
