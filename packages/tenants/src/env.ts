import { stProductionHosts, TenantId } from '@pricebook/contracts';
import { z } from 'zod';
import { parseSecretsKeys, type SecretsKey } from './secrets';

const optionalText = z.string().min(1).optional();

const secretsKeys = z
  .string()
  .optional()
  .transform((value, ctx): SecretsKey[] | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    const { keys, problems } = parseSecretsKeys(value);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return keys;
  });

/**
 * The settings of the tenants every service reads alike: the environment's own tenant (`ST_*`,
 * optional when every tenant is added through `/api/tenants`) and the keys that seal the others'
 * credentials. A single-contractor deployment sets `ST_*` as before and nothing else.
 *
 * @example
 * export const fetcherEnv = baseEnv.extend({ ...tenantsEnvFields });
 */
export const tenantsEnvFields = {
  /** The environment's tenant; with it, a request that names no tenant is about this one. */
  ST_TENANT_ID: TenantId.optional(),
  ST_TENANT_NAME: z.string().min(1).max(200).default('Default tenant'),
  ST_CLIENT_ID: optionalText,
  ST_CLIENT_SECRET: optionalText,
  ST_APP_KEY: optionalText,
  ST_APPLICATION_GUID: z.uuid().optional(),
  ST_API_BASE_URL: z.url().default(stProductionHosts.apiBaseUrl),
  ST_AUTH_URL: z.url().default(stProductionHosts.authUrl),
  /** `id:base64` keys (first seals, all open); needed to add tenants through the API. */
  TENANT_SECRETS_KEYS: secretsKeys,
};

export type TenantsEnv = z.infer<z.ZodObject<typeof tenantsEnvFields>>;
