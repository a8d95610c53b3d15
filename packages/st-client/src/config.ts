import { TenantId } from '@pricebook/contracts';
import { z } from 'zod';

/**
 * The environment a service reads to reach ServiceTitan. Validate it once at boot with
 * `loadConfig(stClientEnv)` and hand the result to {@link stClientOptionsFromEnv}.
 *
 * @example
 * const env = loadConfig(stClientEnv);
 * const client = new StClient(stClientOptionsFromEnv(env));
 */
export const stClientEnv = z.object({
  ST_API_BASE_URL: z.url().default('https://api.servicetitan.io'),
  ST_AUTH_URL: z.url().default('https://auth.servicetitan.io'),
  ST_TENANT_ID: TenantId,
  ST_CLIENT_ID: z.string().min(1),
  ST_CLIENT_SECRET: z.string().min(1),
  ST_APP_KEY: z.string().min(1),
});
export type StClientEnv = z.infer<typeof stClientEnv>;

/** Where and as whom the client talks to ServiceTitan. */
export interface StConnection {
  /** API origin, e.g. `https://api.servicetitan.io`; paths are `/pricebook/v2/tenant/{tenant}/…`. */
  baseUrl: string;
  /** Auth origin, e.g. `https://auth.servicetitan.io`; the token comes from `/connect/token`. */
  authUrl: string;
  tenantId: string;
  clientId: string;
  /** Never logged and never put in an error message. */
  clientSecret: string;
  /** Sent as `ST-App-Key`; never logged. */
  appKey: string;
}

/**
 * Maps the validated environment to the client's connection options.
 *
 * @example
 * stClientOptionsFromEnv(loadConfig(stClientEnv)); // { baseUrl, authUrl, tenantId, … }
 */
export function stClientOptionsFromEnv(env: StClientEnv): StConnection {
  return {
    baseUrl: env.ST_API_BASE_URL,
    authUrl: env.ST_AUTH_URL,
    tenantId: env.ST_TENANT_ID,
    clientId: env.ST_CLIENT_ID,
    clientSecret: env.ST_CLIENT_SECRET,
    appKey: env.ST_APP_KEY,
  };
}

/** `origin + path` without doubled or missing slashes. */
export function joinUrl(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
