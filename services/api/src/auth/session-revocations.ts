import type { Orm } from '@pricebook/db';
import type { SessionClaims } from './session-token';

/** What `revokeAll` stored: sessions of `kid` issued at or before `notBefore` are ended. */
export interface SessionCutoff {
  notBefore: Date;
}

/**
 * Sessions ended before their expiry, kept in PostgreSQL so every replica sees them: one row per
 * signed-out session (by its nonce) and one "not before" per key. Errors (the database down)
 * reach the caller, which answers 503: a session is never accepted unchecked.
 */
export interface SessionRevocations {
  /** Whether the session was signed out, or ended with every session of its key: one statement, two primary-key reads. */
  isRevoked(claims: SessionClaims): Promise<boolean>;
  /** Ends one session (sign-out) until its cookie expires; ending it twice is the same. */
  revoke(claims: SessionClaims): Promise<void>;
  /**
   * Ends every session of `kid` (`*`: of every key) issued at or before `notBefore`, remembered
   * until `expiresAt`, when every one of them has expired anyway. A later cutoff never moves back.
   */
  revokeAll(kid: string, cutoff: { notBefore: Date; expiresAt: Date; by: string }): Promise<SessionCutoff>;
}

/** The label a cutoff of every key is stored under (no key's label can be it). */
export const everyKey = '*';

/**
 * The revocations over `orm`'s pool.
 *
 * @example
 * const revocations = pgSessionRevocations(orm);
 * if (await revocations.isRevoked(claims)) throw new AppError('unauthorized', 'the session has ended');
 */
export function pgSessionRevocations(orm: Orm): SessionRevocations {
  return {
    async isRevoked(claims) {
      const rows = await orm.em.fork().execute<{ revoked: boolean }[]>(
        `select exists (select 1 from pricebook_revoked_sessions where nonce = ?)
             or exists (select 1 from pricebook_session_cutoffs where kid in (?, ?) and not_before >= ?) as revoked`,
        [claims.nonce, claims.kid, everyKey, new Date(claims.iat)],
      );
      return rows[0]?.revoked === true;
    },
    async revoke(claims) {
      await orm.em.fork().execute(
        `insert into pricebook_revoked_sessions (nonce, kid, expires_at) values (?, ?, ?)
         on conflict (nonce) do nothing`,
        [claims.nonce, claims.kid, new Date(claims.exp)],
      );
    },
    async revokeAll(kid, { notBefore, expiresAt, by }) {
      const rows = await orm.em.fork().execute<{ not_before: Date | string }[]>(
        `insert into pricebook_session_cutoffs (kid, not_before, expires_at, revoked_by) values (?, ?, ?, ?)
         on conflict (kid) do update
            set not_before = greatest(pricebook_session_cutoffs.not_before, excluded.not_before),
                expires_at = greatest(pricebook_session_cutoffs.expires_at, excluded.expires_at),
                revoked_by = excluded.revoked_by,
                updated_at = now()
         returning not_before`,
        [kid, notBefore, expiresAt, by],
      );
      const stored = rows[0]?.not_before;
      return { notBefore: stored === undefined ? notBefore : new Date(stored) };
    },
  };
}
