import { createRoute } from '@hono/zod-openapi';
import { SessionRevocation, SessionRevokeRequest } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { Principal } from '../auth/api-keys';
import { everyKey } from '../auth/session-revocations';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * A key bound to tenants may end only the sessions of keys bound to some of those tenants: ending
 * the sessions of a key that acts for other tenants (or of every key) needs an unbound admin.
 */
function mayEnd(caller: Principal, target: Principal | undefined): boolean {
  if (caller.tenants === undefined) return true;
  const allowed = caller.tenants;
  return target?.tenants?.every((t) => allowed.includes(t)) === true;
}

/** Resolves once the clock has passed `at`, so a session signed in after the answer is after the cutoff. */
async function pastInstant(at: number): Promise<void> {
  while (Date.now() <= at) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * `POST /api/sessions/revoke` (admin): ends every console session of one key (`{ kid }`) or of
 * every key (`{ all: true }`) issued up to now, e.g. when a laptop was lost. Stored as one
 * "not before" per key, not a list of sessions; signing in again gives a session that works.
 *
 * @example
 * registerSessionsRevoke(app, deps);
 * // curl -X POST $API/api/sessions/revoke -H "authorization: Bearer $ADMIN_KEY" -d '{"kid":"operator:3f9a1c2b7d4e"}'
 */
export function registerSessionsRevoke(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/sessions/revoke',
    tags: ['Session'],
    summary: 'End every session of a key (or of every key)',
    description:
      'Every console session of the key named by `kid` (its label, as `principal` in `GET /api/session`), or of ' +
      'every key with `{ "all": true }`, issued up to now is refused with 401 from then on, on every replica. The ' +
      'key itself keeps working: a bearer request is not a session, and signing in again gives a new session. ' +
      "An admin session ending its own key's sessions ends itself too. 404 when no key of API_KEYS has the " +
      'label; a key bound to tenants may end only the sessions of keys bound to some of its tenants (403). ' +
      'Role: admin.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('admin', { tenant: 'none' })] as const,
    request: {
      body: { required: true, content: { 'application/json': { schema: SessionRevokeRequest } } },
    },
    responses: {
      200: {
        description: 'The sessions ended',
        content: { 'application/json': { schema: SessionRevocation } },
      },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { kid } = c.req.valid('json');
    const caller = c.get('principal');
    // The guard ran before the handler; without a principal the route was wired wrongly.
    if (!caller) throw new AppError('unauthorized', 'sign in first');
    const target = kid === undefined ? undefined : deps.auth.ring.byLabel(kid);
    if (kid !== undefined && !target)
      throw new AppError('not_found', `no key of API_KEYS has the label ${kid}`);
    if (!mayEnd(caller, target)) {
      throw new AppError(
        'forbidden',
        'a key bound to tenants may end only the sessions of keys bound to its tenants',
      );
    }
    const now = Date.now();
    const { notBefore } = await deps.auth.revocations.revokeAll(kid ?? everyKey, {
      notBefore: new Date(now),
      // Every session it ends was issued by then, so has expired a session lifetime later.
      expiresAt: new Date(now + deps.auth.sessionTtlMs),
      by: caller.label,
    });
    await pastInstant(now);
    c.get('log').info({ kid: kid ?? everyKey }, 'sessions ended');
    return c.json({ kid: kid ?? null, all: kid === undefined, notBefore: notBefore.toISOString() }, 200);
  });
}
