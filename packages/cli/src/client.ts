import { Problem } from '@pricebook/contracts';
import type { z } from 'zod';
import { CliError, exitCodes } from './errors';
import { readEvents, type ServerSentEvent } from './sse';

/** Where the API is and how to sign in, from `PRICEBOOK_API_URL` and `PRICEBOOK_API_KEY`. */
export interface ClientConfig {
  baseUrl: string;
  apiKey: string | undefined;
}

/** What the CLI says of a refusal: the API's problem+json, or the status and text of a body that is not one. */
export type Refusal = Pick<Problem, 'status'> &
  Partial<Pick<Problem, 'title' | 'detail' | 'code' | 'errors'>>;

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
export function problemLine(problem: Refusal): string {
  const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
  const what = problem.detail ?? problem.title ?? 'request failed';
  return `${problem.status} ${problem.code ?? 'error'}: ${what}${fields ? ` (${fields})` : ''}`;
}

function exitCodeFor(status: number) {
  if (status === 401 || status === 403) return exitCodes.unreachable;
  if (status === 400) return exitCodes.usage;
  return exitCodes.failure;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The first few issues of a body that does not match its schema, on one line. */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Every HTTP call the CLI makes, in one place: bearer key, JSON, every answer parsed with the
 * contracts' schema of its route (so an API change the CLI does not follow fails its typecheck,
 * and a malformed answer is one clear error), problem+json errors turned into a `CliError` with
 * the documented exit code, and the server-sent events of a sync.
 *
 * @example
 * const client = new ApiClient({ baseUrl: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_API_KEY });
 * const status = await client.get('/api/sync/pricebook/status', StatusResponse);
 */
export class ApiClient {
  constructor(private readonly config: ClientConfig) {}

  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.json('GET', path, schema);
  }

  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return this.json('POST', path, schema, body);
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

  private async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
    const parsed = schema.safeParse(parseJson(await res.text()));
    if (parsed.success) return parsed.data;
    // An API this CLI does not speak (another version, a proxy's page): say so, not a stack trace.
    throw new CliError(
      `the API's answer to ${method} ${path} is not what this CLI expects (${issuesOf(parsed.error)})`,
      exitCodes.failure,
    );
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
    let problem: Refusal = { status: res.status, detail: text.slice(0, 200) || res.statusText };
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      const parsed = Problem.safeParse(parseJson(text));
      // Not a problem after all: the raw text (above) is the best there is.
      if (parsed.success) problem = { ...parsed.data, status: res.status };
    }
    let line = problemLine(problem);
    if (res.status === 401 && !this.config.apiKey) line += ' (set PRICEBOOK_API_KEY)';
    throw new CliError(line, exitCodeFor(res.status));
  }
}
