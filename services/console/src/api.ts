import { createApiClient, type PricebookClient, ProblemError, unwrap } from '@pricebook/client';

export type { PricebookClient };
export { ProblemError, unwrap };

/** The session's CSRF token, read at request time: it changes with each sign-in. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The one client of the console: same origin, the session cookie signs each request, and unsafe
 * requests carry the session's CSRF token. No key is ever kept in the page.
 */
export const api: PricebookClient = createApiClient({
  baseUrl: '',
  credentials: 'same-origin',
  headers: (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});

/** A readable line for any failure, keeping the API's own words. */
export function describeError(error: unknown): string {
  if (error instanceof ProblemError) return `${error.title || 'Error'} (${error.status}): ${error.detail}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
