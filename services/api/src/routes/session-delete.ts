import { createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { sessionCookie } from '../auth/authenticate';
import { clearSessionCookie } from '../auth/session-cookie';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `DELETE /api/session` (public): signs out. A valid session cookie is revoked on the server, so a
 * copy of it (another tab, another device, a stolen one) is refused from then on; the answer also
 * clears the browser's cookie. Public, so an expired or ended session can sign out too.
 *
 * @example
 * registerSessionDelete(app, deps);
 */
export function registerSessionDelete(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'delete',
    path: '/api/session',
    tags: ['Session'],
    summary: 'Sign out: end the session and clear its cookie',
    description:
      'Ends the session of the `pricebook_session` cookie on the server (every copy of the cookie is refused ' +
      'with 401 from then on) and clears the cookie. Without a valid cookie it only clears it. While the ' +
      'database is unreachable it answers 503 and clears nothing, so the sign-out can be tried again. Public.',
    security: [],
    responses: { 204: { description: 'Signed out' }, ...problemResponses(500) },
  });
  app.openapi(route, async (c) => {
    const cookie = getCookie(c, sessionCookie);
    const session = cookie === undefined ? undefined : deps.auth.sessions.verify(cookie);
    if (session) {
      await deps.auth.revocations.revoke(session);
      c.get('log').info({ principal: session.kid }, 'session ended');
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });
}
