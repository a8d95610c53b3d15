import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from './api-keys';

/** What a session cookie says, once its signature is checked. */
export interface SessionClaims {
  /** The principal label of the key it was exchanged for (`<role>:<12 hex>`), never the key. */
  kid: string;
  /** When it ends (epoch ms). */
  exp: number;
  /**
   * When it was issued (epoch ms), so an admin's "end every session of this key" can name the
   * ones before it. A cookie issued before sessions carried it reads as issued at 0: any cutoff ends it.
   */
  iat: number;
  /** A random value per session: its CSRF token is derived from it. */
  nonce: string;
}

const version = 'v1';
const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session secret: `SESSION_SECRET` when set, otherwise derived from every configured API key.
 * Every replica reads the same configuration, so each derives the same secret, and a restart keeps
 * sessions valid; changing the keys (or the secret) ends every session.
 *
 * @example
 * const secret = sessionSecret(env.SESSION_SECRET, env.API_KEYS);
 */
export function sessionSecret(explicit: string | undefined, keys: readonly ApiKey[]): Buffer {
  const material =
    explicit ??
    keys
      .map((k) => `${k.role}:${k.key}`)
      .sort()
      .join('\n');
  return mac(Buffer.from('pricebook-session-secret'), material);
}

/**
 * Signs and checks session cookies (`v1.<claims>.<HMAC-SHA256>`): stateless, so any replica
 * accepts a cookie another one issued. Signing and CSRF use keys derived apart from the secret.
 *
 * @example
 * const signer = new SessionSigner(secret);
 * const { token, claims } = signer.issue('admin:3f9a1c2b7d4e', 8 * 3600_000);
 * signer.verify(token)?.kid; // 'admin:3f9a1c2b7d4e'
 * signer.csrfToken(claims);
 */
export class SessionSigner {
  readonly #signKey: Buffer;
  readonly #csrfKey: Buffer;

  constructor(secret: Buffer) {
    this.#signKey = mac(secret, 'sign');
    this.#csrfKey = mac(secret, 'csrf');
  }

  issue(kid: string, ttlMs: number, now = Date.now()): { token: string; claims: SessionClaims } {
    const claims: SessionClaims = { kid, exp: now + ttlMs, iat: now, nonce: b64(randomBytes(18)) };
    const body = `${version}.${b64(JSON.stringify(claims))}`;
    return { token: `${body}.${b64(mac(this.#signKey, body))}`, claims };
  }

  /** The claims of a cookie this secret signed and that has not expired; otherwise undefined. */
  verify(token: string, now = Date.now()): SessionClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== version) return undefined;
    const [, payload = '', signature = ''] = parts;
    const expected = mac(this.#signKey, `${version}.${payload}`);
    if (!sameBytes(Buffer.from(signature, 'base64url'), expected)) return undefined;
    const claims = parseClaims(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims && claims.exp > now ? claims : undefined;
  }

  /** The CSRF token bound to one session: only a page that read it from the API can send it. */
  csrfToken(claims: SessionClaims): string {
    return b64(mac(this.#csrfKey, claims.nonce));
  }

  csrfMatches(claims: SessionClaims, presented: string | undefined): boolean {
    if (!presented) return false;
    return sameBytes(Buffer.from(presented, 'utf8'), Buffer.from(this.csrfToken(claims), 'utf8'));
  }
}

function parseClaims(text: string): SessionClaims | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { kid, exp, iat = 0, nonce } = value as Record<string, unknown>;
    if (typeof kid !== 'string' || typeof exp !== 'number' || typeof nonce !== 'string') return undefined;
    if (typeof iat !== 'number') return undefined;
    return { kid, exp, iat, nonce };
  } catch {
    return undefined;
  }
}
