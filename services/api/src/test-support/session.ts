import type { ApiApp } from '../context';
import { call } from './index';

export interface SignedIn {
  /** The `Cookie` header value that carries the session. */
  cookie: string;
  csrfToken: string;
  /** The whole `Set-Cookie` header of the sign-in. */
  setCookie: string;
}

/**
 * Signs in with `apiKey` through `POST /api/session` and returns what a browser would keep.
 *
 * @example
 * const { cookie, csrfToken } = await signIn(app, keys.operator);
 * await call(app, 'POST', '/api/sync/pricebook/full', { headers: { cookie, 'x-csrf-token': csrfToken } });
 */
export async function signIn(app: ApiApp, apiKey: string): Promise<SignedIn> {
  const res = await call<{ csrfToken: string }>(app, 'POST', '/api/session', { body: { apiKey } });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0] ?? '', csrfToken: res.body.csrfToken, setCookie };
}
