import { z } from 'zod';

/**
 * A deployment's name (`NATS_DEPLOYMENT`): lower-case letters and digits, words joined by single
 * hyphens, at most 32 characters. Empty (the default) is the single deployment of an account and
 * keeps every name exactly as the contracts spell it. Hyphens become `_` in stream names, so no
 * `_` is allowed here: two names never map to one stream.
 */
export const DeploymentName = z
  .string()
  .max(32)
  .regex(/^([a-z][a-z0-9]*(-[a-z0-9]+)*)?$/, 'lower-case letters and digits, words joined by "-"')
  .refine((v) => v !== 'pricebook', 'would read as the default namespace');
export type DeploymentName = z.infer<typeof DeploymentName>;

/**
 * How one deployment spells the contracts' names on the wire. The contracts (subject patterns,
 * `PRICEBOOK_*` streams, durable names, the KV bucket) stay the logical names that the database,
 * logs, dead letters and the API use; only what crosses to NATS goes through these.
 */
export interface WireNames {
  deployment: string;
  /** `pricebook.cmd.1001.sync.v1` → `acme.pricebook.cmd.1001.sync.v1` (filters as well). */
  subject(logical: string): string;
  /** The reverse; `undefined` for a subject of another deployment. */
  logicalSubject(wire: string): string | undefined;
  /** `PRICEBOOK_EVENTS` → `ACME_PRICEBOOK_EVENTS`. */
  stream(logical: string): string;
  /** `fetcher` → `acme-fetcher`. */
  durable(logical: string): string;
  /** `pricebook_scheduler` → `acme_pricebook_scheduler`. */
  bucket(logical: string): string;
  /** A NATS user of the shipped server config: `api` → `acme-api`. */
  user(logical: string): string;
}

/**
 * The one place the deployment enters a name. A leading subject token (rather than one after
 * `pricebook`) can never be read as a tenant or a namespace token, so two deployments' stream
 * subjects never overlap, and a NATS permission `acme.pricebook.>` covers exactly one deployment.
 *
 * @example
 * wireNames('acme').stream('PRICEBOOK_EVENTS'); // 'ACME_PRICEBOOK_EVENTS'
 * wireNames('').subject('pricebook.cmd.1001.sync.v1'); // unchanged
 */
export function wireNames(deployment: string): WireNames {
  const name = DeploymentName.parse(deployment);
  if (name === '') {
    return {
      deployment: '',
      subject: (s) => s,
      logicalSubject: (s) => (s.startsWith('pricebook.') ? s : undefined),
      stream: (s) => s,
      durable: (d) => d,
      bucket: (b) => b,
      user: (u) => u,
    };
  }
  const token = `${name}.`;
  const upper = name.toUpperCase().replaceAll('-', '_');
  const lower = name.replaceAll('-', '_');
  return {
    deployment: name,
    subject: (s) => `${token}${s}`,
    logicalSubject: (s) => (s.startsWith(`${token}pricebook.`) ? s.slice(token.length) : undefined),
    stream: (s) => `${upper}_${s}`,
    durable: (d) => `${name}-${d}`,
    bucket: (b) => `${lower}_${b}`,
    user: (u) => `${name}-${u}`,
  };
}

let active: WireNames = wireNames('');

/**
 * Sets this process's deployment, once at start (the service kit does it from `NATS_DEPLOYMENT`).
 * The deployment is as constant for a process as its environment; holding it here keeps every
 * publisher, consumer, probe and provisioning call on the same names without threading it
 * through each of them. Calls that name a deployment explicitly (tests, tools) ignore it.
 *
 * @example
 * useDeployment(env.NATS_DEPLOYMENT);
 */
export function useDeployment(deployment: string): WireNames {
  active = wireNames(deployment);
  return active;
}

/**
 * The names of this process's deployment, or of the one given.
 *
 * @example
 * await js.consumers.get(deploymentNames().stream(def.stream), deploymentNames().durable(def.name));
 */
export function deploymentNames(deployment?: string): WireNames {
  return deployment === undefined ? active : wireNames(deployment);
}
