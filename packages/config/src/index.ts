import { z } from 'zod';
import { checkNatsAuth, natsFields } from './nats';

export {
  checkNatsAuth,
  type NatsAuth,
  type NatsEnv,
  natsAuthOf,
  natsEnv,
  natsFields,
  natsUrl,
} from './nats';

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
