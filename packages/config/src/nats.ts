import { existsSync } from 'node:fs';
import { z } from 'zod';

/** How a service proves who it is to NATS; `undefined` when it connects anonymously (local development). */
export type NatsAuth =
  | { kind: 'user'; user: string; password: string }
  | { kind: 'token'; token: string }
  | { kind: 'nkey'; seed: string }
  | { kind: 'creds'; file: string };

export const natsUrl = z
  .string()
  .default('nats://127.0.0.1:4222')
  .refine((v) => /^(nats|tls|wss?):\/\//.test(v) || /^[\w.-]+:\d+$/.test(v), 'must be a nats:// URL');

const secret = z.string().min(1).optional();

/** The NATS variables every service reads: where the server is and, optionally, one way to log in. */
export const natsFields = {
  NATS_URL: natsUrl,
  /** User name of a `users` entry in the server config (with `NATS_PASSWORD`). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: secret,
  /** A server `authorization { token }`. */
  NATS_TOKEN: secret,
  /** An nkey seed (`SU…`) whose public key is a user of the server config. */
  NATS_NKEY_SEED: secret.refine(
    (v) => v === undefined || /^SU[A-Z2-7]{56}$/.test(v),
    'must be a user nkey seed (SU…)',
  ),
  /** Path of a `.creds` file (a user JWT and its seed, as `nsc` writes it). */
  NATS_CREDS: z.string().min(1).optional(),
};

type NatsFields = z.infer<z.ZodObject<typeof natsFields>>;

/**
 * One way to log in at most, and a complete one. Messages name variables, never their values.
 * Applied by every schema that carries {@link natsFields}.
 */
export function checkNatsAuth(env: NatsFields, ctx: z.core.$RefinementCtx<NatsFields>): void {
  const given = (['NATS_USER', 'NATS_TOKEN', 'NATS_NKEY_SEED', 'NATS_CREDS'] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (given.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [given[1] ?? 'NATS_USER'],
      message: `only one way to log in to NATS, but ${given.join(' and ')} are set`,
    });
  }
  if (env.NATS_USER !== undefined && env.NATS_PASSWORD === undefined) {
    ctx.addIssue({ code: 'custom', path: ['NATS_PASSWORD'], message: 'required with NATS_USER' });
  }
  if (env.NATS_PASSWORD !== undefined && env.NATS_USER === undefined) {
    ctx.addIssue({ code: 'custom', path: ['NATS_USER'], message: 'required with NATS_PASSWORD' });
  }
  if (env.NATS_CREDS !== undefined && !existsSync(env.NATS_CREDS)) {
    ctx.addIssue({ code: 'custom', path: ['NATS_CREDS'], message: 'no such file' });
  }
}

/** Just the NATS settings (for tools that need nothing else). */
export const natsEnv = z.object(natsFields).superRefine(checkNatsAuth);
export type NatsEnv = z.infer<typeof natsEnv>;

/**
 * The login the environment names, if any.
 *
 * @example
 * natsAuthOf({ NATS_URL: 'nats://nats:4222', NATS_USER: 'api', NATS_PASSWORD: '…' });
 * // { kind: 'user', user: 'api', password: '…' }
 */
export function natsAuthOf(env: Partial<NatsFields>): NatsAuth | undefined {
  if (env.NATS_USER !== undefined && env.NATS_PASSWORD !== undefined)
    return { kind: 'user', user: env.NATS_USER, password: env.NATS_PASSWORD };
  if (env.NATS_TOKEN !== undefined) return { kind: 'token', token: env.NATS_TOKEN };
  if (env.NATS_NKEY_SEED !== undefined) return { kind: 'nkey', seed: env.NATS_NKEY_SEED };
  if (env.NATS_CREDS !== undefined) return { kind: 'creds', file: env.NATS_CREDS };
  return undefined;
}
