import type { Context, Hono, MiddlewareHandler } from 'hono';
import { ApiError, rateLimitedError } from '../problem';
import type { SandboxEnv, SandboxState } from '../state';
import type { Tenant } from '../store/tenant';
import { TOKEN_LIFETIME_SECONDS } from './tokens';

const SCOPE = 'tn.pb.pricebook:r tn.pb.pricebook:w';

function oauthError(
  status: 400 | 429,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function findClient(state: SandboxState, clientId: string): Tenant | undefined {
  for (const tenant of state.tenants.values()) if (tenant.credentials.clientId === clientId) return tenant;
  return undefined;
}

/**
 * `POST /connect/token`: OAuth 2.0 client credentials, form-encoded, IdentityServer-style
 * errors (`400 {"error":"invalid_client"}`), throttled per client id.
 */
export function registerOAuth(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.post('/connect/token', async (c) => {
    if (!(c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await c.req.text());
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id') ?? '';
    const clientSecret = form.get('client_secret') ?? '';
    if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is missing.');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', grantType);
    const limit = state.tokenLimiter.take(clientId);
    if (!limit.ok) {
      const after = String(limit.retryAfterSeconds);
      return oauthError(429, 'slow_down', `Too many token requests. Try again in ${after} seconds.`, {
        'retry-after': after,
      });
    }
    const tenant = findClient(state, clientId);
    if (!tenant || !clientSecret || tenant.credentials.clientSecret !== clientSecret) {
      return oauthError(400, 'invalid_client', 'Invalid client or client credentials.');
    }
    const lifetime = state.faults.tokenTtlSeconds(tenant.id) ?? TOKEN_LIFETIME_SECONDS;
    const accessToken = state.tokens.issue(tenant.id, clientId, state.clock.now(), lifetime);
    state.stats.tokensIssued++;
    c.header('cache-control', 'no-store');
    c.header('pragma', 'no-cache');
    // Always advertises 900 s: an early-expiry fault is only discovered by a 401.
    return c.json({
      access_token: accessToken,
      expires_in: TOKEN_LIFETIME_SECONDS,
      token_type: 'Bearer',
      scope: SCOPE,
    });
  });
}

/** Azure API Management's own error body, which the gateway sends before the API sees a request. */
function gatewayError(c: Context, status: 401, message: string): Response {
  return c.json({ statusCode: status, message }, status);
}

/**
 * Guards `/pricebook/v2/tenant/:tenant/*` in gateway order: app key (401, APIM body), rate
 * limit per (app key, tenant) (429), access token (401), then tenant and app connection (403).
 */
export function apiGuard(state: SandboxState): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const tenantId = c.req.param('tenant') ?? '';
    const appKey = c.req.header('st-app-key') ?? c.req.query('servicetitanapplicationkey');
    if (!appKey) {
      return gatewayError(
        c,
        401,
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      );
    }
    let knownKey = false;
    for (const t of state.tenants.values()) if (t.credentials.appKey === appKey) knownKey = true;
    if (!knownKey) {
      return gatewayError(
        c,
        401,
        'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      );
    }
    const limit = state.limiter.take(`${appKey}|${tenantId}`);
    if (!limit.ok) throw rateLimitedError(limit.retryAfterSeconds);

    const header = c.req.header('authorization');
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    const info = token ? state.tokens.check(token, state.clock.now()) : undefined;
    if (!info) {
      throw new ApiError(
        401,
        'Unauthorized',
        {},
        {
          'www-authenticate': token
            ? 'Bearer error="invalid_token", error_description="The access token is expired or invalid"'
            : 'Bearer',
        },
      );
    }
    const tenant = state.tenants.get(tenantId);
    if (info.tenantId !== tenantId || !tenant) {
      throw new ApiError(403, `The access token does not grant access to tenant ${tenantId}.`);
    }
    if (tenant.credentials.appKey !== appKey) {
      throw new ApiError(403, `The application is not connected to tenant ${tenantId}.`);
    }
    c.set('tenant', tenant);
    await next();
  };
}
