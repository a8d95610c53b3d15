import { TenantId } from '@pricebook/contracts';
import { z } from 'zod';
import { checkNatsAuth, natsFields } from './nats';

export { envRetention, formatRetention, parseDuration } from './duration';
export {
  checkNatsAuth,
  type NatsAuth,
  type NatsEnv,
  type NatsProvisionEnv,
  natsAuthOf,
  natsEnv,
  natsFields,
  natsProvisionEnv,
  natsStreamFields,
  natsUrl,
  streamOptionsOf,
} from './nats';
export { type RenamedVariable, renamedVariables, withRenamedVariables } from './renamed';

/**
 * Parses the environment against a zod schema once, at boot, and fails fast with one
 * readable line per problem. Secret values never appear in the message.
 *
 * @example
 * const env = loadConfig(z.object({ DATABASE_URL: z.string().url() }));
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Environment booleans: `true/false/1/0/yes/no`, case-insensitive. */
export const envBoolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const s = v.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false, got "${v}"` });
      return z.NEVER;
    });

/** Environment integers with a default and bounds. */
export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const postgresUrl = z
  .string()
  .default('postgresql://postgres@127.0.0.1:5432/pricebook')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgresql:// URL');

/** Just `DATABASE_URL` (for tools such as the migration script). */
export const databaseEnv = z.object({ DATABASE_URL: postgresUrl });

const runtimeFields = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** Just the runtime and logging settings (a process without a database or NATS, such as the sandbox). */
export const runtimeEnv = z.object(runtimeFields);
export type RuntimeEnv = z.infer<typeof runtimeEnv>;

/**
 * `DATABASE_POOL_MAX` for a service's env schema: connections in this replica's pool. (It was
 * `DB_POOL_MAX` in some services; see {@link renamedVariables}.)
 *
 * @example
 * export const comparatorEnv = baseEnv.extend({ DATABASE_POOL_MAX: databasePoolMax(4) });
 */
export const databasePoolMax = (fallback: number, min = 1) => envInt(fallback, min, 200);

/**
 * `HEALTH_PORT` for a service's env schema: the port of `/metrics`, `/healthz` and `/readyz`,
 * `0` for none.
 *
 * @example
 * export const fetcherEnv = baseEnv.extend({ HEALTH_PORT: healthPort(9101) });
 */
export const healthPort = (fallback: number) => envInt(fallback, 0, 65_535);

/** `ST_TENANT_ID`: the one ServiceTitan tenant this deployment serves, read the same way by every service. */
export const tenantFields = {
  ST_TENANT_ID: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'required: the ServiceTitan tenant id this deployment serves'
          : 'must be a string',
    })
    // The rule itself is the contracts' one.
    .refine((value) => TenantId.safeParse(value).success, 'must be a positive integer'),
};

/**
 * Settings every service shares: logging, PostgreSQL, NATS and its login (checked as a whole by
 * {@link checkNatsAuth}). Extend it with `.extend()`; it cannot be `.pick()`ed or `.omit()`ted.
 */
export const baseEnv = z
  .object({ ...runtimeFields, DATABASE_URL: postgresUrl, ...natsFields })
  .superRefine(checkNatsAuth);
export type BaseEnv = z.infer<typeof baseEnv>;

/** {@link baseEnv} for a service without a database (the fetcher). */
export const baseEnvWithoutDatabase = z
  .object({ ...runtimeFields, ...natsFields })
  .superRefine(checkNatsAuth);
