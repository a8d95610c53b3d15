import { defineEntity, type InferEntity } from '@mikro-orm/core';

const p = defineEntity.properties;

/**
 * A console session ended before its expiry (signed out): its cookie is refused from then on.
 * Sessions are signed, not stored, so only the ended ones have a row, and only until the cookie
 * would have expired anyway; housekeeping deletes it then.
 */
export const RevokedSession = defineEntity({
  name: 'RevokedSession',
  tableName: 'pricebook_revoked_sessions',
  indexes: [{ name: 'pricebook_revoked_sessions_expires_idx', properties: ['expiresAt'] }],
  properties: {
    /** The session's random nonce (it names the session; the cookie itself is never stored). */
    nonce: p.text().primary(),
    /** The principal label of the key it was exchanged for (`<role>:<12 hex>`). */
    kid: p.text(),
    /** When the cookie expires: the row is needed until then. */
    expiresAt: p.datetime(),
    revokedAt: p.datetime().defaultRaw('now()'),
  },
});
export type RevokedSession = InferEntity<typeof RevokedSession>;

/**
 * Every session of one key (`*`: of every key) issued at or before `notBefore` has ended (an admin
 * ended them, e.g. for a lost laptop). One row per key, moved forward by each revocation; needed
 * until the last session it ends would have expired (`expiresAt`), then housekeeping deletes it.
 */
export const SessionCutoff = defineEntity({
  name: 'SessionCutoff',
  tableName: 'pricebook_session_cutoffs',
  indexes: [{ name: 'pricebook_session_cutoffs_expires_idx', properties: ['expiresAt'] }],
  properties: {
    /** The principal label, or `*` for every key. */
    kid: p.text().primary(),
    notBefore: p.datetime(),
    expiresAt: p.datetime(),
    /** Who ended them (a principal label). */
    revokedBy: p.text(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type SessionCutoff = InferEntity<typeof SessionCutoff>;
