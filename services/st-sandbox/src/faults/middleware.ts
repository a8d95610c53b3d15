import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { problemBody, rateLimitedError } from '../problem';
import type { SandboxEnv, SandboxState } from '../state';

/** Marks a response whose socket was destroyed, so stats can tell it from a real answer. */
export const DROPPED_HEADER = 'x-sandbox-dropped';

function serverError(status: 500 | 502 | 503): Response {
  if (status === 500) {
    return new Response(JSON.stringify(problemBody(500, 'An unexpected error occurred.')), {
      status,
      headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    });
  }
  // Gateways answer 502/503 with HTML, not JSON: clients must cope with either.
  const text = status === 502 ? 'Bad Gateway' : 'Service Unavailable';
  return new Response(
    `<html><head><title>${status} ${text}</title></head><body><h1>${text}</h1></body></html>`,
    {
      status,
      headers: { 'content-type': 'text/html' },
    },
  );
}

/**
 * Injects the configured faults (latency, 5xx, 429 storms, truncated bodies, dropped
 * connections) into the requests it wraps. `isAuth` marks the token endpoint.
 */
export function faultMiddleware(state: SandboxState, isAuth: boolean): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const tenantId = isAuth ? undefined : c.req.param('tenant');
    const decision = state.faults.decide(tenantId, c.req.path, isAuth);
    if (decision.latencyMs > 0) {
      state.stats.fault('latency');
      await sleep(decision.latencyMs);
    }
    switch (decision.action) {
      case 'drop': {
        state.stats.fault('drop');
        const socket = c.env?.incoming?.socket;
        socket?.destroy();
        // Under app.request() there is no socket to destroy; the header says what happened.
        return new Response(null, { status: 503, headers: { [DROPPED_HEADER]: '1' } });
      }
      case 'error':
        state.stats.fault('error');
        return serverError(decision.status);
      case 'rate-limit':
        state.stats.fault('rate-limit');
        throw rateLimitedError(1);
      case 'truncate': {
        await next();
        const text = await c.res.text();
        state.stats.fault('truncate');
        const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        const headers = new Headers(c.res.headers);
        headers.delete('content-length');
        const status = c.res.status;
        c.res = undefined; // otherwise Hono copies the old headers, content-length included
        c.res = new Response(cut, { status, headers });
        return;
      }
      default:
        await next();
    }
  };
}
