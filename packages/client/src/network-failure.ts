/** A `fetch` that got no answer at all: what the connection did, in a code and in words. */
export interface NetworkFailure {
  /** The system's or undici's code (`ECONNREFUSED`, `UND_ERR_SOCKET`, …); `undefined` in a browser, which tells no more than "network error". */
  code: string | undefined;
  /** The failure for a person: "connection refused", "connection closed before an answer", … */
  reason: string;
  /** Whether the same request may connect a moment later (an API restarting, a dropped idle connection). */
  transient: boolean;
  /** Whether a connection was open, so the request may have reached the API (and been carried out). */
  connected: boolean;
}

/**
 * The codes Node 20's fetch (undici) puts on the `cause` of its `TypeError('fetch failed')` when
 * a connection fails, as words, and whether a second try may find the API up. A name that does
 * not resolve or a port fetch refuses to use stays wrong however often it is tried.
 */
const codes: Record<string, Omit<NetworkFailure, 'code'>> = {
  ECONNREFUSED: { reason: 'connection refused', transient: true, connected: false },
  ECONNRESET: { reason: 'connection reset', transient: true, connected: true },
  ECONNABORTED: { reason: 'connection aborted', transient: true, connected: true },
  EPIPE: { reason: 'connection closed before an answer', transient: true, connected: true },
  UND_ERR_SOCKET: { reason: 'connection closed before an answer', transient: true, connected: true },
  // A connect timeout or a read timeout: the code does not say which, so maybe sent.
  ETIMEDOUT: { reason: 'connection timed out', transient: true, connected: true },
  UND_ERR_CONNECT_TIMEOUT: { reason: 'connection timed out', transient: true, connected: false },
  EHOSTUNREACH: { reason: 'host unreachable', transient: true, connected: false },
  ENETUNREACH: { reason: 'network unreachable', transient: true, connected: false },
  EAI_AGAIN: { reason: 'name lookup failed for now', transient: true, connected: false },
  ENOTFOUND: { reason: 'host not found', transient: false, connected: false },
};

/**
 * How browsers word the `TypeError` of a request that got no answer; they give no cause, by
 * design, so the message is all there is (Chrome, Firefox, Safari 16, Safari 17+).
 */
const browserMessages = new Set([
  'Failed to fetch',
  'NetworkError when attempting to fetch resource.',
  'The Internet connection appears to be offline.',
  'Load failed',
]);

function codeOf(cause: unknown): string | undefined {
  if (cause === null || typeof cause !== 'object' || !('code' in cause)) return undefined;
  return typeof cause.code === 'string' ? cause.code : undefined;
}

/**
 * What a rejected `fetch` says about the connection, or `undefined` when the rejection is not a
 * network failure (an abort, a timeout of the caller's signal, a bug). Node 20 rejects with
 * `TypeError('fetch failed')` and the socket's error as `cause` (an `AggregateError` with an
 * empty message when every address of a name refused, hence the code rather than the message).
 *
 * @example
 * try {
 *   await fetch('http://127.0.0.1:3001/health');
 * } catch (error) {
 *   networkFailure(error); // { code: 'ECONNREFUSED', reason: 'connection refused', transient: true, connected: false }
 * }
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  if (!(error instanceof TypeError)) return undefined;
  // A browser does not say whether the request went out: assume it may have.
  if (browserMessages.has(error.message)) {
    return { code: undefined, reason: 'network error', transient: true, connected: true };
  }
  if (error.message !== 'fetch failed') return undefined;
  const code = codeOf(error.cause);
  const known = code === undefined ? undefined : codes[code];
  if (known) return { code, ...known };
  // Something fetch refused outright ("bad port", too many redirects): say it, never try again.
  const said = error.cause instanceof Error ? error.cause.message : '';
  return { code, reason: said || code || 'network error', transient: false, connected: false };
}
