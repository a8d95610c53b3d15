import { createHash, timingSafeEqual } from 'node:crypto';

/** Roles in increasing power: each one may do everything the ones before it may. */
export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface ApiKey {
  role: Role;
  key: string;
  /** The tenants the key may act for; absent: every tenant. */
  tenants?: readonly string[];
}

/** Who made a request: the role of the key, and a label that names the key without revealing it. */
export interface Principal {
  role: Role;
  /** `<role>:<first 12 hex digits of the key's SHA-256>`, safe for logs and `triggered_by`. */
  label: string;
  /** The tenants the key may act for; `undefined`: every tenant. */
  tenants: readonly string[] | undefined;
}

/** Shorter keys are refused at boot: they could be guessed. */
export const minKeyLength = 16;

/**
 * Sample values, not secrets: a key copied from a template (`change-me-admin-key`) is refused at
 * boot, so an API never runs guarded by a key that every reader of the template knows.
 */
const placeholder =
  /change[-_ ]?me|changeit|placeholder|replace[-_ ]?me|your[-_ ]?(api[-_ ]?)?key|example|^<.*>$/i;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

/**
 * Parses `API_KEYS` (`role:key` pairs separated by commas). Problems are described by position,
 * never by echoing a key.
 *
 * @example
 * parseApiKeys('admin:0123456789abcdef0123,viewer:fedcba9876543210fedc');
 * // { keys: [{ role: 'admin', key: '0123…' }, { role: 'viewer', key: 'fedc…' }], problems: [] }
 */
export function parseApiKeys(value: string): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) problems.push('no keys: expected comma-separated role:key pairs');
  entries.forEach((entry, index) => {
    const at = entry.indexOf(':');
    const role = at < 0 ? '' : entry.slice(0, at).trim();
    const key = at < 0 ? '' : entry.slice(at + 1).trim();
    const position = `entry ${index + 1}`;
    if (at < 0) problems.push(`${position} is not a role:key pair`);
    else if (!isRole(role)) problems.push(`${position} has an unknown role (expected ${roles.join(', ')})`);
    else if (key.length < minKeyLength)
      problems.push(`${position}: a key needs at least ${minKeyLength} characters`);
    else if (placeholder.test(key))
      problems.push(`${position} is a placeholder, not a secret: generate one (openssl rand -hex 24)`);
    else if (keys.some((k) => k.key === key)) problems.push(`${position} repeats a key given before`);
    else keys.push({ role, key });
  });
  return { keys, problems };
}

/** Whether a principal of role `have` may do what needs role `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return roles.indexOf(have) >= roles.indexOf(need);
}

/**
 * Looks keys up in constant time: the presented key and every configured key are hashed to the
 * same length and all of them are compared, so neither the position of a match nor the length of
 * a key shows in the timing.
 *
 * @example
 * const ring = new KeyRing([{ role: 'viewer', key: 'fedcba9876543210fedc' }]);
 * ring.match('fedcba9876543210fedc')?.role; // 'viewer'
 */
export class KeyRing {
  readonly #entries: Array<{ digest: Buffer; principal: Principal }>;

  constructor(keys: readonly ApiKey[]) {
    this.#entries = keys.map(({ role, key, tenants }) => {
      const d = digest(key);
      const label = `${role}:${d.toString('hex').slice(0, 12)}`;
      return { digest: d, principal: { role, label, tenants } };
    });
  }

  match(presented: string): Principal | undefined {
    const candidate = digest(presented);
    let found: Principal | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, candidate)) found = entry.principal;
    }
    return found;
  }

  /** The principal a session names by its label, while its key is still configured with that role. */
  byLabel(label: string): Principal | undefined {
    return this.#entries.find((e) => e.principal.label === label)?.principal;
  }
}
