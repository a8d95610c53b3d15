import { AppError } from '@pricebook/errors';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { type Principal, type Role, roleAllows } from './api-keys';
import { type Authenticator, authenticate } from './authenticate';

/**
 * Authenticates the caller (bearer key or session cookie, see `authenticate`), puts it on the
 * context and checks that its role allows `role`: no or unknown credentials → 401, a lesser role
 * or a missing CSRF token → 403. The key itself is never logged.
 *
 * @example
 * const principal = await authorize(c, auth, 'operator');
 */
export async function authorize(c: Context<AppEnv>, auth: Authenticator, role: Role): Promise<Principal> {
  const { principal, session } = await authenticate(c, auth);
  c.set('principal', principal);
  if (session) c.set('session', session);
  c.set('log', c.get('log').child({ principal: principal.label }));
  if (!roleAllows(principal.role, role)) {
    throw new AppError('forbidden', `this operation needs the ${role} role; the key has ${principal.role}`, {
      details: { requiredRole: role },
    });
  }
  return principal;
}
