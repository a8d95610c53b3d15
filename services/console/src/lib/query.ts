import { useSearch } from 'wouter';

/** The page's query string as filters; empty values are left out. */
export function useQueryParams(): URLSearchParams {
  return new URLSearchParams(useSearch());
}

/** A path with the given filters as its query string (empty ones dropped). */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A query value if it is one of `allowed`. */
export function oneOf<const T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}
