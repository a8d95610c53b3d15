import { AppError } from '@pricebook/errors';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import type { KeyRing, Principal } from './api-keys';
import type { SessionRevocations } from './session-revocations';
import type { SessionClaims, SessionSigner } from './session-token';

/** The HttpOnly cookie that carries a console session. */
export const sessionCookie = 'pricebook_session';
/** The header a cookie-authenticated unsafe request must carry, with the session's CSRF token. */
export const csrfHeader = 'x-csrf-token';

const bearer = /^Bearer\s+(\S+)\s*$/i;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the API recognises a caller: API keys (bearer) and the sessions exchanged for them (cookie). */
export interface Authenticator {
  ring: KeyRing;
  sessions: SessionSigner;
  /** How long a new session lasts. */
  sessionTtlMs: number;
  /** The sessions signed out or ended by an admin before their expiry. */
  revocations: SessionRevocations;
}

/** Who made a request, and through which session when it came with the cookie. */
export interface Caller {
  principal: Principal;
  session?: SessionClaims;
}

/**
 * The caller of a request: `Authorization: Bearer <key>` when present (a cookie is then ignored),
 * otherwise the session cookie. No or bad credentials, or a session ended before its expiry → 401;
 * a cookie-authenticated unsafe request without the session's `X-CSRF-Token` → 403. Bearer
 * requests need no CSRF token: a browser never adds that header on its own. A cookie costs one
 * indexed read of the revocations (the database down → 503, never an unchecked session); a
 * bearer key costs none.
 *
 * @example
 * const { principal } = await authenticate(c, auth);
 */
export async function authenticate(c: Context<AppEnv>, auth: Authenticator): Promise<Caller> {
  const header = c.req.header('authorization');
  if (header) {
    const token = bearer.exec(header)?.[1];
    const principal = token === undefined ? undefined : auth.ring.match(token);
    if (!principal) throw new AppError('unauthorized', 'the API key is not valid');
    return { principal };
  }
  const cookie = getCookie(c, sessionCookie);
  if (!cookie) {
    throw new AppError(
      'unauthorized',
      'an API key is required: Authorization: Bearer <key> (or a session from POST /api/session)',
    );
  }
  const session = auth.sessions.verify(cookie);
  // A session ends with its key: a key removed from API_KEYS (or given another role) no longer matches.
  const principal = session ? auth.ring.byLabel(session.kid) : undefined;
  if (!session || !principal) throw new AppError('unauthorized', 'the session has expired: sign in again');
  // Signed out (perhaps on another device) or ended by an admin: the cookie is a stale copy.
  if (await auth.revocations.isRevoked(session)) {
    throw new AppError('unauthorized', 'the session has ended: sign in again');
  }
  if (!safeMethods.has(c.req.method) && !auth.sessions.csrfMatches(session, c.req.header(csrfHeader))) {
    throw new AppError('forbidden', 'a request made with the session cookie needs its X-CSRF-Token header', {
      details: { reason: 'csrf' },
    });
  }
  return { principal, session };
}
