import { createRoute } from '@hono/zod-openapi';
import { SessionRequest, SessionResponse } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { implicitTenantId } from '../auth/resolve-tenant';
import { setSessionCookie } from '../auth/session-cookie';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/session` (public): exchanges an API key for a console session. The answer sets the
 * HttpOnly session cookie and carries the CSRF token the session's unsafe requests must send.
 *
 * @example
 * registerSessionCreate(app, deps);
 * // curl -i -X POST $API/api/session -H 'content-type: application/json' -d '{"apiKey":"…"}'
 */
export function registerSessionCreate(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/session',
    tags: ['Session'],
    summary: 'Sign in: exchange an API key for a session cookie',
    description:
      'For the console (`/admin`). The key goes in the body; the answer sets `pricebook_session` (HttpOnly, ' +
      'SameSite=Strict, Secure over https, Path=/) and returns the session with its `csrfToken`: every POST, ' +
      'PUT, PATCH and DELETE made with the cookie must send it as `X-CSRF-Token`, or it is refused with 403. ' +
      "The session has the key's role and ends after SESSION_TTL_MS, when the key leaves API_KEYS, or when " +
      'SESSION_SECRET changes. Public.',
    security: [],
    request: {
      body: { required: true, content: { 'application/json': { schema: SessionRequest } } },
    },
    responses: {
      200: {
        description: 'Signed in; `Set-Cookie` carries the session',
        content: { 'application/json': { schema: SessionResponse } },
      },
      ...problemResponses(400, 401, 500),
    },
  });
  app.openapi(route, (c) => {
    const { apiKey } = c.req.valid('json');
    const principal = deps.auth.ring.match(apiKey);
    if (!principal) throw new AppError('unauthorized', 'the API key is not valid');
    c.set('principal', principal);
    const { sessions, sessionTtlMs } = deps.auth;
    const { token, claims } = sessions.issue(principal.label, sessionTtlMs);
    setSessionCookie(c, token, sessionTtlMs);
    c.header('Cache-Control', 'no-store');
    c.get('log').info({ principal: principal.label }, 'session started');
    return c.json(
      {
        role: principal.role,
        principal: principal.label,
        tenant: implicitTenantId(principal, deps.tenants.defaultTenantId) ?? null,
        tenants: principal.tenants ? [...principal.tenants] : null,
        expiresAt: new Date(claims.exp).toISOString(),
        csrfToken: sessions.csrfToken(claims),
      },
      200,
    );
  });
}
