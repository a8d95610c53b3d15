import { envBoolean, envInt, runtimeEnv } from '@pricebook/config';
import { z } from 'zod';
import { defaultTenantSpec } from './app';
import { defaultSettings } from './state';

/**
 * The sandbox's environment: where it listens and its default tenant (the one `deploy/local`
 * and the tests sign in as), validated once at boot.
 *
 * @example
 * const env = loadConfig(sandboxEnv);
 */
export const sandboxEnv = runtimeEnv.extend({
  PORT: envInt(4010, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  SANDBOX_TENANT_ID: z
    .string()
    .regex(/^\d{1,18}$/)
    .default(defaultTenantSpec.tenantId),
  SANDBOX_CLIENT_ID: z.string().min(1).default(defaultTenantSpec.clientId),
  SANDBOX_CLIENT_SECRET: z.string().min(1).default(defaultTenantSpec.clientSecret),
  SANDBOX_APP_KEY: z.string().min(1).default(defaultTenantSpec.appKey),
  // Up to the benchmark's million-item mode (about 2.5 GB resident and a minute or two of seeding).
  SANDBOX_SEED_ITEMS: envInt(0, 0, 1_000_000),
  SANDBOX_SEED: envInt(1),
  SANDBOX_EXPORT_PAGE_SIZE: envInt(defaultSettings.exportPageSize, 1, 50_000),
  SANDBOX_EXTRA_FIELDS: envBoolean(defaultSettings.extraFields),
  SANDBOX_RATE_LIMIT: envInt(defaultSettings.rateLimitPerSecond),
});
