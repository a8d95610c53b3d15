import { createApiClient, type PricebookClient, ProblemError, unwrap } from '@pricebook/client';

export type { PricebookClient };
export { ProblemError, unwrap };

/** The session's CSRF token, read at request time: it changes with each sign-in. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Where the chosen tenant is remembered between visits (an id, never a secret). */
const tenantStorageKey = 'pricebook.tenant';

function storedTenant(): string | null {
  try {
    return globalThis.localStorage?.getItem(tenantStorageKey) ?? null;
  } catch {
    // Storage refused (a private window's policy): the API's default tenant then.
    return null;
  }
}

/** The tenant every request is about (`Pricebook-Tenant`); null: the API's default tenant. */
let tenant: string | null = storedTenant();

export function currentTenant(): string | null {
  return tenant;
}

/** Chooses the tenant of every following request, and remembers it for the next visit. */
export function setTenant(next: string | null): void {
  tenant = next;
  try {
    if (next) globalThis.localStorage?.setItem(tenantStorageKey, next);
    else globalThis.localStorage?.removeItem(tenantStorageKey);
  } catch {
    // Not remembered; this visit still uses it.
  }
}

/**
 * The one client of the console: same origin, the session cookie signs each request, unsafe
 * requests carry the session's CSRF token, and every request names the chosen tenant. No key is
 * ever kept in the page.
 */
export const api: PricebookClient = createApiClient({
  baseUrl: '',
  credentials: 'same-origin',
  headers: (): Record<string, string> => ({
    ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    ...(tenant ? { 'pricebook-tenant': tenant } : {}),
  }),
});

/** A readable line for any failure, keeping the API's own words. */
export function describeError(error: unknown): string {
  if (error instanceof ProblemError) return `${error.title || 'Error'} (${error.status}): ${error.detail}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
