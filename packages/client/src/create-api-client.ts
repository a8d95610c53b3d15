import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/api';
import { type RetryOptions, retryingFetch } from './retry';

/** A typed client of the whole API: `GET`, `POST`, … with the document's paths, bodies and answers. */
export type PricebookClient = Client<paths>;

/** Extra headers for every request, or a function that gives them at request time (e.g. a CSRF token). */
export type HeaderSource = Record<string, string> | (() => Record<string, string>);

/** How to reach the API and who is asking. */
export interface ApiClientOptions {
  /** Where the API is, e.g. `http://127.0.0.1:3001`; `''` (or `/`) in a page served by the API. */
  baseUrl: string;
  /** An API key, sent as `Authorization: Bearer <key>`. Leave it out when a session cookie signs the requests. */
  apiKey?: string;
  /** The ServiceTitan tenant the requests are about, sent as `Pricebook-Tenant`. */
  tenant?: string;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** Whether cookies go with each request (`include` for another origin; the default `same-origin` suits a page the API serves). */
  credentials?: RequestInit['credentials'];
  /** Headers for every request (a header the request sets itself wins). */
  headers?: HeaderSource;
  /** Retries of 429 and 503 answers and of failed connections (requests safe to repeat); `false` turns them off. */
  retry?: RetryOptions | false;
}

/**
 * The one middleware that says who is asking: the bearer key, the tenant and the extra headers,
 * on every request that does not set them itself.
 */
function identify(options: ApiClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const extra = typeof options.headers === 'function' ? options.headers() : (options.headers ?? {});
      const headers: Record<string, string> = { ...extra };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      if (options.tenant) headers['pricebook-tenant'] = options.tenant;
      for (const [name, value] of Object.entries(headers)) {
        if (!request.headers.has(name)) request.headers.set(name, value);
      }
      return request;
    },
  };
}

/**
 * A typed client of the Pricebook Sync Engine API (an `openapi-fetch` client over the API's
 * OpenAPI document), with the key, the tenant and extra headers on every request and retries of
 * 429, 503 and failed connections. Results are `{ data, error, response }`; {@link unwrap} turns a refusal into a
 * `ProblemError`.
 *
 * @example
 * const api = createApiClient({ baseUrl: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_API_KEY });
 * const status = unwrap(await api.GET('/api/sync/pricebook/status'));
 * const page = unwrap(await api.GET('/api/sync/pricebook/logs', { params: { query: { limit: 10 } } }));
 *
 * @example
 * // In the console, signed in with a session cookie: no key, a CSRF header read at request time.
 * const api = createApiClient({ baseUrl: '', headers: () => ({ 'x-csrf-token': readCsrfCookie() }) });
 */
export function createApiClient(options: ApiClientOptions): PricebookClient {
  // The global fetch is looked up at call time and called unbound (a browser refuses `this` other than window).
  const base =
    options.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch(base, options.retry),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  api.use(identify(options));
  return api;
}
