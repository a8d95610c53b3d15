import { CliError, exitCodes } from './errors';
import { readEvents, type ServerSentEvent } from './sse';

/** Where the API is and how to sign in, from `PRICEBOOK_API_URL` and `PRICEBOOK_API_KEY`. */
export interface ClientConfig {
  baseUrl: string;
  apiKey: string | undefined;
}

/** An `application/problem+json` body, as far as the CLI reads it. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

export const defaultApiUrl = 'http://127.0.0.1:3001';

/**
 * The API's settings from the environment.
 *
 * @example
 * const client = new ApiClient(clientConfig(process.env));
 */
export function clientConfig(env: Record<string, string | undefined>): ClientConfig {
  const baseUrl = (env.PRICEBOOK_API_URL || defaultApiUrl).replace(/\/+$/, '');
  return { baseUrl, apiKey: env.PRICEBOOK_API_KEY || undefined };
}

/** One readable line for a problem: status, code, detail, and each bad field of a 400. */
export function problemLine(problem: Problem): string {
  const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
  const what = problem.detail ?? problem.title ?? 'request failed';
  return `${problem.status} ${problem.code ?? 'error'}: ${what}${fields ? ` (${fields})` : ''}`;
}

function exitCodeFor(status: number) {
  if (status === 401 || status === 403) return exitCodes.unreachable;
  if (status === 400) return exitCodes.usage;
  return exitCodes.failure;
}

/**
 * Every HTTP call the CLI makes, in one place: bearer key, JSON, problem+json errors turned into a
 * `CliError` with the documented exit code, and the server-sent events of a sync.
 *
 * @example
 * const client = new ApiClient({ baseUrl: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_API_KEY });
 * const status = await client.get<StatusBody>('/api/sync/pricebook/status');
 */
export class ApiClient {
  constructor(private readonly config: ClientConfig) {}

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  /**
   * The events of `GET /logs/{id}/events`, from `lastEventId` on (a reconnect resumes numbering).
   *
   * @example
   * for await (const e of client.syncEvents(id)) if (e.event !== 'progress') break;
   */
  async *syncEvents(syncLogId: string, lastEventId?: string): AsyncGenerator<ServerSentEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await this.send('GET', `/api/sync/pricebook/logs/${syncLogId}/events`, headers);
    if (!res.body) throw new CliError('the API sent an empty event stream', exitCodes.failure);
    yield* readEvents(res.body);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Response> {
    if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`;
    let res: Response;
    try {
      res = await fetch(`${this.config.baseUrl}${path}`, { method, headers, body });
    } catch (error) {
      const reason =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new CliError(`cannot reach the API at ${this.config.baseUrl}: ${reason}`, exitCodes.unreachable);
    }
    if (res.ok) return res;
    const text = await res.text();
    let problem: Problem = { status: res.status, detail: text.slice(0, 200) || res.statusText };
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        problem = { ...(JSON.parse(text) as Problem), status: res.status };
      } catch {
        // Not JSON after all: the raw text (above) is the best there is.
      }
    }
    let line = problemLine(problem);
    if (res.status === 401 && !this.config.apiKey) line += ' (set PRICEBOOK_API_KEY)';
    throw new CliError(line, exitCodeFor(res.status));
  }
}
