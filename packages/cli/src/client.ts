import {
  createApiClient,
  type Middleware,
  networkFailure,
  type PricebookClient,
  type ProblemError,
  safeToResend,
} from '@pricebook/client';
import {
  ConflictList,
  ConflictResponse,
  LogDetailResponse,
  LogsResponse,
  type Problem,
  ProposalList,
  ProposalResponse,
  ResolveResult,
  SchedulerControlResponse,
  StatusResponse,
  SyncAccepted,
  TenantConnectionTestResponse,
  TenantListResponse,
  TenantResponse,
  WebhookAttemptList,
  WebhookCreated,
  WebhookDeliveryList,
  WebhookDeliveryResponse,
  WebhookList,
  WebhookReplayResponse,
  WebhookResponse,
} from '@pricebook/contracts';
import type { z } from 'zod';
import { CliError, exitCodes } from './errors';

/** Where the API is, how to sign in and which tenant: `PRICEBOOK_API_URL`, `PRICEBOOK_API_KEY`, `PRICEBOOK_TENANT`. */
export interface ClientConfig {
  baseUrl: string;
  apiKey: string | undefined;
  /** Sent as `Pricebook-Tenant` on every request; unset, the API takes its default tenant. */
  tenant: string | undefined;
}

/** What the CLI says of a refusal: the API's problem+json, or the status and text of a body that is not one. */
export type Refusal = Pick<Problem, 'status'> &
  Partial<Pick<Problem, 'title' | 'detail' | 'code' | 'errors'>>;

export const defaultApiUrl = 'http://127.0.0.1:3001';

/**
 * The API's settings from the environment.
 *
 * @example
 * const api = cliApi(clientConfig(process.env));
 */
export function clientConfig(
  env: Record<string, string | undefined>,
  tenant: string | undefined = undefined,
): ClientConfig {
  const baseUrl = (env.PRICEBOOK_API_URL || defaultApiUrl).replace(/\/+$/, '');
  return {
    baseUrl,
    apiKey: env.PRICEBOOK_API_KEY || undefined,
    // `--tenant` wins over the environment.
    tenant: tenant || env.PRICEBOOK_TENANT || undefined,
  };
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

/**
 * A refusal of the API as the one line and exit code the CLI ends with.
 *
 * @example
 * if (error instanceof ProblemError) throw refusal(error, config);
 */
export function refusal(error: ProblemError, config: ClientConfig): CliError {
  const { status, title, detail } = error;
  const line = problemLine({
    status,
    title,
    detail,
    ...(error.code ? { code: error.code } : {}),
    ...(error.problem?.errors ? { errors: error.problem.errors } : {}),
  });
  const hint = status === 401 && !config.apiKey ? ' (set PRICEBOOK_API_KEY)' : '';
  return new CliError(line + hint, exitCodeFor(status));
}

/**
 * The contracts' schema of each answer the CLI reads. The generated types say what the API
 * promises at compile time; these check at run time that the API reached is one this CLI speaks
 * (not another version, not a proxy's page), so a mismatch is one clear error, not a crash later.
 */
const answers: Record<string, z.ZodType> = {
  'GET /api/sync/pricebook/status': StatusResponse,
  'GET /api/sync/pricebook/logs': LogsResponse,
  'GET /api/sync/pricebook/logs/{id}': LogDetailResponse,
  'GET /api/sync/pricebook/conflicts': ConflictList,
  'GET /api/sync/pricebook/conflicts/{id}': ConflictResponse,
  'POST /api/sync/pricebook/full': SyncAccepted,
  'POST /api/sync/pricebook/incremental': SyncAccepted,
  'POST /api/sync/pricebook/resolve-conflict/{id}': ResolveResult,
  'POST /api/sync/pricebook/scheduler/start': SchedulerControlResponse,
  'POST /api/sync/pricebook/scheduler/stop': SchedulerControlResponse,
  'GET /api/tenants': TenantListResponse,
  'GET /api/tenants/{tenantId}': TenantResponse,
  'POST /api/tenants': TenantResponse,
  'PATCH /api/tenants/{tenantId}': TenantResponse,
  'POST /api/tenants/{tenantId}/pause': TenantResponse,
  'POST /api/tenants/{tenantId}/resume': TenantResponse,
  'DELETE /api/tenants/{tenantId}': TenantResponse,
  'POST /api/tenants/{tenantId}/test': TenantConnectionTestResponse,
  'GET /api/webhooks': WebhookList,
  'POST /api/webhooks': WebhookCreated,
  'GET /api/webhooks/{id}': WebhookResponse,
  'POST /api/webhooks/{id}/enable': WebhookResponse,
  'GET /api/webhooks/{id}/deliveries': WebhookDeliveryList,
  'GET /api/webhooks/{id}/deliveries/{deliveryId}/attempts': WebhookAttemptList,
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': WebhookDeliveryResponse,
  'POST /api/webhooks/{id}/replay': WebhookReplayResponse,
  'GET /api/assistant/proposals': ProposalList,
  'GET /api/assistant/proposals/{id}': ProposalResponse,
  'POST /api/assistant/proposals/{id}/confirm': ProposalResponse,
  'POST /api/assistant/proposals/{id}/reject': ProposalResponse,
};

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
 * The one line for a request that got no answer, after the client's retries: what the connection
 * did in words ("connection refused"), not fetch's "fetch failed" or a bare socket code. A POST
 * or PATCH whose connection closed after it was sent may have been carried out, and the client
 * did not send it again: the line says so, so nobody runs it twice blindly.
 */
function unreachable(baseUrl: string, request: Request, error: unknown): CliError {
  const failure = networkFailure(error);
  const reason = failure?.reason ?? (error instanceof Error ? error.message : String(error));
  if (failure?.connected === true && !safeToResend(request)) {
    const path = request.url.startsWith(baseUrl) ? request.url.slice(baseUrl.length) : request.url;
    return new CliError(
      `lost the connection to the API at ${baseUrl} before its answer to ${request.method} ${path} (${reason}): it may have been carried out; check before running it again`,
      exitCodes.unreachable,
    );
  }
  return new CliError(`cannot reach the API at ${baseUrl}: ${reason}`, exitCodes.unreachable);
}

/** Checks each success answer against its schema, and turns an unreachable API into a `CliError`. */
function cliChecks(baseUrl: string): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const schema = answers[`${request.method} ${schemaPath}`];
      if (!response.ok || !schema) return undefined;
      const parsed = schema.safeParse(parseJson(await response.clone().text()));
      if (parsed.success) return undefined;
      const path = request.url.startsWith(baseUrl) ? request.url.slice(baseUrl.length) : request.url;
      throw new CliError(
        `the API's answer to ${request.method} ${path} is not what this CLI expects (${issuesOf(parsed.error)})`,
        exitCodes.failure,
      );
    },
    onError({ request, error }) {
      return unreachable(baseUrl, request, error);
    },
  };
}

/**
 * Every HTTP call the CLI makes goes through this `@pricebook/client` client: the bearer key,
 * retries of 429, 503 and failed connections, typed paths and bodies, each answer checked against
 * the contracts' schema of its route, and an unreachable API as a `CliError` with the documented
 * exit code.
 * Refusals come back as results; `unwrap` turns them into a `ProblemError`, which `run` prints.
 *
 * @example
 * const api = cliApi({ baseUrl: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_API_KEY });
 * const status = unwrap(await api.GET('/api/sync/pricebook/status'));
 */
export function cliApi(config: ClientConfig): PricebookClient {
  const api = createApiClient({
    baseUrl: config.baseUrl,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.tenant ? { tenant: config.tenant } : {}),
  });
  api.use(cliChecks(config.baseUrl));
  return api;
}
