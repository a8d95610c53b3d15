import { AppError } from '@pricebook/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { type KeyRing, type Role, roleAllows } from './api-keys';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/**
 * Lets a request through when its `Authorization: Bearer <key>` matches a key whose role allows
 * `role`: no or unknown key → 401, a key of a lesser role → 403. The key itself is never logged.
 *
 * @example
 * const route = createRoute({ middleware: [requireRole(ring, 'operator')] as const, ... });
 */
export function requireRole(ring: KeyRing, role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new AppError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
    const token = bearer.exec(header)?.[1];
    const principal = token === undefined ? undefined : ring.match(token);
    if (!principal) throw new AppError('unauthorized', 'the API key is not valid');
    c.set('principal', principal);
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
