import { randomBytes } from 'node:crypto';

/** Lifetime ServiceTitan states for every access token. */
export const TOKEN_LIFETIME_SECONDS = 900;

export interface TokenInfo {
  tenantId: string;
  clientId: string;
  /** Sandbox-clock epoch ms after which the token is refused (may be earlier than it claims). */
  expiresAt: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Issued access tokens. They look like ServiceTitan's RS256 JWTs (header, claims with
 * `tenant` and `client_id`, 900 s `exp`) but are checked by lookup, so an early-expiry
 * fault can make one die before the `exp` it advertises.
 */
export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();

  issue(tenantId: string, clientId: string, nowMs: number, lifetimeSeconds: number): string {
    const iat = Math.floor(nowMs / 1000);
    const header = { alg: 'RS256', kid: 'st-sandbox', typ: 'at+jwt' };
    const claims = {
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      iss: 'https://auth-integration.servicetitan.io',
      client_id: clientId,
      tenant: tenantId,
      iat,
      jti: randomBytes(16).toString('hex').toUpperCase(),
      scope: ['tn.pb.pricebook:r', 'tn.pb.pricebook:w'],
    };
    const token = `${b64(header)}.${b64(claims)}.${randomBytes(64).toString('base64url')}`;
    if (this.tokens.size > 10_000) this.prune(nowMs);
    this.tokens.set(token, { tenantId, clientId, expiresAt: nowMs + lifetimeSeconds * 1000 });
    return token;
  }

  /** The token's info if it is known and not expired at `nowMs`. */
  check(token: string, nowMs: number): TokenInfo | undefined {
    const info = this.tokens.get(token);
    return info && nowMs < info.expiresAt ? info : undefined;
  }

  /** Revokes every token, or those of one tenant; returns how many. */
  revoke(tenantId?: string): number {
    let count = 0;
    for (const [token, info] of this.tokens) {
      if (tenantId !== undefined && info.tenantId !== tenantId) continue;
      this.tokens.delete(token);
      count++;
    }
    return count;
  }

  clear(): void {
    this.tokens.clear();
  }

  private prune(nowMs: number): void {
    for (const [token, info] of this.tokens) if (info.expiresAt <= nowMs) this.tokens.delete(token);
  }
}
