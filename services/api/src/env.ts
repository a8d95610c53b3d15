import { baseEnv, databasePoolMax, envBoolean, envInt, loadConfig } from '@pricebook/config';
import { embeddingsFields } from '@pricebook/embeddings';
import { driftFields, scheduleFields } from '@pricebook/schedule';
import { tenantsEnvFields } from '@pricebook/tenants';
import { z } from 'zod';
import type { AssistantSettings } from './assistant/chat';
import { type ApiKey, parseApiKeys } from './auth/api-keys';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const apiKeys = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'required: comma-separated role:key pairs, e.g. API_KEYS=admin:<key>,viewer@<tenant id>:<key> (roles: viewer, operator, admin; @ binds a key to tenants)'
        : 'must be a string',
  })
  .transform((value, ctx): ApiKey[] => {
    const { keys, problems } = parseApiKeys(value);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return keys;
  });

/**
 * `MCP_ALLOWED_HOSTS`: Host header values `/api/mcp` accepts, comma-separated (`host` or
 * `host:port`, as clients send it); unset or empty: no check.
 */
const allowedHosts = optionalText.transform((value, ctx): string[] | undefined => {
  if (value === undefined) return undefined;
  const hosts = value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  for (const host of hosts) {
    if (!/^[a-z0-9.[\]:-]+$/.test(host)) {
      ctx.addIssue({ code: 'custom', message: `"${host}" is not a host or host:port (no scheme, no path)` });
    }
  }
  return hosts.length > 0 ? hosts : undefined;
});

/** Everything the API reads from the environment, validated once at boot. */
export const apiEnv = baseEnv.extend({
  PORT: envInt(3001, 1, 65_535),
  HOST: z.string().min(1).default('0.0.0.0'),
  API_KEYS: apiKeys,
  /** The deployment's own tenant (optional) and the keys that seal the others' credentials. */
  ...tenantsEnvFields,
  /** The scheduler's settings, for the next runs in status and the start/stop switch. */
  ...scheduleFields,
  /** The drift report's schedule and when a report is stale. */
  ...driftFields,
  /** How long `?wait=true` waits for a sync to finish before answering 202. */
  SYNC_WAIT_TIMEOUT_MS: envInt(300_000, 1, 3_600_000),
  SYNC_WAIT_POLL_MS: envInt(500, 10, 60_000),
  DATABASE_POOL_MAX: databasePoolMax(10),
  /**
   * Signs console session cookies. Unset, it is derived from API_KEYS, which every replica shares;
   * set it to end sessions independently of the keys (or to keep them across a key change).
   */
  SESSION_SECRET: z.string().min(32, 'must have at least 32 characters (openssl rand -hex 32)').optional(),
  /** How long a console session lasts after sign-in. */
  SESSION_TTL_MS: envInt(8 * 3_600_000, 60_000, 30 * 24 * 3_600_000),
  /** The built console (`services/console/dist`) served at /admin. */
  CONSOLE_DIR: z.string().min(1).optional(),
  /** Allow webhook URLs with `http` or private addresses (development and tests only); as the webhooks service's. */
  WEBHOOKS_ALLOW_PRIVATE_URLS: envBoolean(false),
  /** The embeddings provider, to embed search queries: the same settings as the embedder's. */
  ...embeddingsFields,
  /** The assistant's chat model: an OpenAI-compatible chat completions endpoint with tool calling. */
  ASSISTANT_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    'must be an http:// or https:// URL',
  ),
  ASSISTANT_MODEL: optionalText,
  /** Sent as a bearer token; never logged, never shown to the model. */
  ASSISTANT_API_KEY: optionalText,
  /** Model answers one chat request may take (each may call tools). */
  ASSISTANT_MAX_TOOL_ROUNDS: envInt(6, 1, 20),
  /** Time for one model answer. */
  ASSISTANT_TIMEOUT_MS: envInt(60_000, 1_000, 600_000),
  /** How long a proposal may wait for an operator before it expires. */
  ASSISTANT_PROPOSAL_TTL_MS: envInt(24 * 3_600_000, 60_000, 30 * 24 * 3_600_000),
  /** DNS-rebinding protection of `/api/mcp`: the Host headers it accepts (unset: any; keys guard it). */
  MCP_ALLOWED_HOSTS: allowedHosts,
});
export type ApiEnv = z.infer<typeof apiEnv>;

/** The settings `createApp` needs, apart from where they came from. */
export interface ApiConfig {
  apiKeys: readonly ApiKey[];
  scheduler: { enabled: boolean; fullCron: string; incrementalCron: string; timezone: string };
  waitTimeoutMs: number;
  waitPollMs: number;
  runStaleAfterMs: number;
  /** Drift reports: a latest report older than `staleAfterMs` is stale (default 48 h). */
  drift?: { staleAfterMs: number };
  /** Console sessions: the secret (default: derived from `apiKeys`) and their lifetime (default 8 h). */
  session?: { secret?: string; ttlMs?: number };
  /** The built console's folder (default: `services/console/dist` beside this service). */
  consoleDir?: string;
  /** Webhook URLs: whether `http` and private addresses are allowed (default no). */
  webhooks?: { allowPrivateUrls: boolean };
  /**
   * The assistant: its model (none: the chat answers 503, proposals still work through MCP) and how
   * long a proposal waits for an operator (default 24 h).
   */
  assistant?: { model?: AssistantSettings; proposalTtlMs?: number };
  /** The MCP endpoint: the Host headers it accepts (default: any). */
  mcp?: { allowedHosts?: readonly string[] };
}

/**
 * Reads and validates the environment; throws a `ConfigError` naming every bad variable.
 *
 * @example
 * const env = loadApiEnv(); // process.env
 * const config = apiConfig(env);
 */
export function loadApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  return loadConfig(apiEnv, source);
}

/** @example const config = apiConfig(loadApiEnv()); */
export function apiConfig(env: ApiEnv): ApiConfig {
  return {
    apiKeys: env.API_KEYS,
    scheduler: {
      enabled: env.SYNC_SCHEDULER_ENABLED,
      fullCron: env.SYNC_FULL_CRON,
      incrementalCron: env.SYNC_INCREMENTAL_CRON,
      timezone: env.SYNC_TIMEZONE,
    },
    waitTimeoutMs: env.SYNC_WAIT_TIMEOUT_MS,
    waitPollMs: env.SYNC_WAIT_POLL_MS,
    runStaleAfterMs: env.SYNC_RUN_STALE_MS,
    drift: { staleAfterMs: env.DRIFT_STALE_AFTER_MS },
    session: {
      ...(env.SESSION_SECRET ? { secret: env.SESSION_SECRET } : {}),
      ttlMs: env.SESSION_TTL_MS,
    },
    ...(env.CONSOLE_DIR ? { consoleDir: env.CONSOLE_DIR } : {}),
    webhooks: { allowPrivateUrls: env.WEBHOOKS_ALLOW_PRIVATE_URLS },
    assistant: {
      proposalTtlMs: env.ASSISTANT_PROPOSAL_TTL_MS,
      ...(env.ASSISTANT_URL && env.ASSISTANT_MODEL
        ? {
            model: {
              url: env.ASSISTANT_URL,
              model: env.ASSISTANT_MODEL,
              apiKey: env.ASSISTANT_API_KEY,
              maxToolRounds: env.ASSISTANT_MAX_TOOL_ROUNDS,
              timeoutMs: env.ASSISTANT_TIMEOUT_MS,
            },
          }
        : {}),
    },
    ...(env.MCP_ALLOWED_HOSTS ? { mcp: { allowedHosts: env.MCP_ALLOWED_HOSTS } } : {}),
  };
}
