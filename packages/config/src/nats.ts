import { existsSync } from 'node:fs';
import { DeploymentName } from '@pricebook/contracts';
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
  /**
   * Names this deployment in a NATS account shared with others: streams, durables, subjects, the
   * KV bucket and NATS users carry it (see `wireNames`). Empty: the names as the contracts spell them.
   */
  NATS_DEPLOYMENT: DeploymentName.default(''),
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

const positive = z.coerce.number().positive();

/**
 * The stream settings provisioning applies (the source of truth for the settings it names: a
 * changed value is updated on the server at the next provisioning, never reverted). Defaults are
 * the single-server values the engine always had.
 */
export const natsStreamFields = {
  /** Replicas of every stream: 1 on a single server, 3 on a three-node cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** How long public events stay for late subscribers. */
  NATS_EVENTS_MAX_AGE_DAYS: positive.default(14),
  /** Size cap of the events stream in bytes (oldest dropped first); -1 for none. */
  NATS_EVENTS_MAX_BYTES: z.coerce.number().int().min(-1).default(-1),
  /** How long an unprocessed pipeline message lives before a stuck sync is abandoned. */
  NATS_PIPELINE_MAX_AGE_HOURS: positive.default(48),
  /** How long unprocessed commands and inbound edits wait for a consumer. */
  NATS_COMMANDS_MAX_AGE_DAYS: positive.default(7),
};

/** What provisioning reads: the NATS settings and the stream settings. */
export const natsProvisionEnv = z.object({ ...natsFields, ...natsStreamFields }).superRefine(checkNatsAuth);
export type NatsProvisionEnv = z.infer<typeof natsProvisionEnv>;

/**
 * The stream options of the environment, in the contracts' terms (`defineStreams`).
 *
 * @example
 * defineStreams(streamOptionsOf(loadConfig(natsProvisionEnv)));
 */
export function streamOptionsOf(env: z.infer<z.ZodObject<typeof natsStreamFields>>) {
  return {
    replicas: env.NATS_STREAM_REPLICAS,
    eventsMaxAgeDays: env.NATS_EVENTS_MAX_AGE_DAYS,
    eventsMaxBytes: env.NATS_EVENTS_MAX_BYTES,
    pipelineMaxAgeHours: env.NATS_PIPELINE_MAX_AGE_HOURS,
    commandsMaxAgeDays: env.NATS_COMMANDS_MAX_AGE_DAYS,
  };
}
