import { envInt } from '@pricebook/config';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * The embeddings provider's variables, for a service's env schema. Any OpenAI-compatible
 * `/embeddings` endpoint works: OpenAI, Azure OpenAI (with `EMBEDDINGS_API_VERSION`), Ollama,
 * llama.cpp, vLLM. Without `EMBEDDINGS_URL` and `EMBEDDINGS_MODEL` nothing is embedded and search
 * answers from full text only.
 *
 * @example
 * export const embedderEnv = baseEnv.extend({ ...embeddingsFields });
 */
export const embeddingsFields = {
  /** Base URL of the API, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  EMBEDDINGS_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    'must be an http:// or https:// URL',
  ),
  EMBEDDINGS_MODEL: optionalText,
  /** Sent as a bearer token (or Azure's `api-key`); never logged. */
  EMBEDDINGS_API_KEY: optionalText,
  /** Azure OpenAI's `api-version`; when set, the key goes in the `api-key` header. */
  EMBEDDINGS_API_VERSION: optionalText,
  /**
   * Asks the model for vectors of this width (`dimensions`), for models that can shorten theirs
   * (OpenAI's text-embedding-3-*). Unset: the model's own width, which must match the column.
   */
  EMBEDDINGS_DIMENSIONS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(16_000).optional(),
  ),
  /** Texts per request. */
  EMBEDDINGS_BATCH_SIZE: envInt(64, 1, 2_048),
  /** Requests started per minute, across this process. */
  EMBEDDINGS_REQUESTS_PER_MINUTE: envInt(300, 1, 100_000),
  /** Requests in flight at once. */
  EMBEDDINGS_CONCURRENCY: envInt(2, 1, 64),
  /** Time for one request, retries excluded. */
  EMBEDDINGS_TIMEOUT_MS: envInt(30_000, 1_000, 600_000),
  /** Retries of one request on a 429, a 5xx or a lost connection (honouring `Retry-After`). */
  EMBEDDINGS_MAX_RETRIES: envInt(4, 0, 20),
};

const settingsSchema = z.object(embeddingsFields);
export type EmbeddingsEnv = z.infer<typeof settingsSchema>;

/** A configured provider. */
export interface EmbeddingsSettings {
  url: string;
  model: string;
  apiKey: string | undefined;
  apiVersion: string | undefined;
  dimensions: number | undefined;
  batchSize: number;
  requestsPerMinute: number;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * The provider settings from a parsed env, or `undefined` when no provider is configured.
 *
 * @example
 * const settings = embeddingsSettings(env);
 * if (!settings) log.warn('no embeddings provider configured: nothing is embedded');
 */
export function embeddingsSettings(env: EmbeddingsEnv): EmbeddingsSettings | undefined {
  if (env.EMBEDDINGS_URL === undefined || env.EMBEDDINGS_MODEL === undefined) return undefined;
  return {
    url: env.EMBEDDINGS_URL,
    model: env.EMBEDDINGS_MODEL,
    apiKey: env.EMBEDDINGS_API_KEY,
    apiVersion: env.EMBEDDINGS_API_VERSION,
    dimensions: env.EMBEDDINGS_DIMENSIONS,
    batchSize: env.EMBEDDINGS_BATCH_SIZE,
    requestsPerMinute: env.EMBEDDINGS_REQUESTS_PER_MINUTE,
    concurrency: env.EMBEDDINGS_CONCURRENCY,
    timeoutMs: env.EMBEDDINGS_TIMEOUT_MS,
    maxRetries: env.EMBEDDINGS_MAX_RETRIES,
  };
}

/**
 * Settings for tests and tools: `url` and `model` plus defaults.
 *
 * @example
 * const settings = embeddingsSettingsOf({ url: fake.url, model: 'fake' });
 */
export function embeddingsSettingsOf(
  values: Pick<EmbeddingsSettings, 'url' | 'model'> & Partial<EmbeddingsSettings>,
): EmbeddingsSettings {
  const defaults = settingsSchema.parse({});
  return {
    apiKey: undefined,
    apiVersion: undefined,
    dimensions: undefined,
    batchSize: defaults.EMBEDDINGS_BATCH_SIZE,
    requestsPerMinute: defaults.EMBEDDINGS_REQUESTS_PER_MINUTE,
    concurrency: defaults.EMBEDDINGS_CONCURRENCY,
    timeoutMs: defaults.EMBEDDINGS_TIMEOUT_MS,
    maxRetries: defaults.EMBEDDINGS_MAX_RETRIES,
    ...values,
  };
}
