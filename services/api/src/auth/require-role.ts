import { AppError } from '@pricebook/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { type Role, roleAllows } from './api-keys';
import { type Authenticator, authenticate } from './authenticate';

/**
 * Lets a request through when its caller (bearer key or session cookie, see `authenticate`) has a
 * role that allows `role`: no or unknown credentials → 401, a lesser role or a missing CSRF token
 * → 403. The key itself is never logged.
 *
 * @example
 * const route = createRoute({ middleware: [requireRole(auth, 'operator')] as const, ... });
 */
export function requireRole(auth: Authenticator, role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { principal, session } = authenticate(c, auth);
    c.set('principal', principal);
    if (session) c.set('session', session);
    c.set('log', c.get('log').child({ principal: principal.label }));
    if (!roleAllows(principal.role, role)) {
      throw new AppError(
        'forbidden',
        `this operation needs the ${role} role; the key has ${principal.role}`,
        {
          details: { requiredRole: role },
        },
      );
    }
    await next();
  };
}
