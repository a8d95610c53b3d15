import { createRoute } from '@hono/zod-openapi';
import { clearSessionCookie } from '../auth/session-cookie';
import type { ApiApp } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `DELETE /api/session` (public): signs out: the answer clears the session cookie. Public, so an
 * expired session can sign out too; a cookie is stateless, so it also ends by itself at its expiry.
 *
 * @example
 * registerSessionDelete(app);
 */
export function registerSessionDelete(app: ApiApp): void {
  const route = createRoute({
    method: 'delete',
    path: '/api/session',
    tags: ['Session'],
    summary: 'Sign out: clear the session cookie',
    description:
      'Clears `pricebook_session`. Sessions are signed, not stored: a copy of the cookie taken before stays ' +
      'valid until it expires (SESSION_TTL_MS), unless SESSION_SECRET or the key changes. Public.',
    security: [],
    responses: { 204: { description: 'Signed out' }, ...problemResponses(500) },
  });
  app.openapi(route, (c) => {
    clearSessionCookie(c);
    return c.body(null, 204);
  });
}
