import { createSandbox, type Sandbox, type SandboxOptions } from './app';

/** Helpers for tests that drive the sandbox through `app.request()`; not used at run time. */
export interface TestSandbox extends Sandbox {
  tenantId: string;
  token(clientId?: string, clientSecret?: string): Promise<string>;
  /** An API call with a fresh-enough token and the app key; `path` is below the tenant prefix. */
  api(path: string, init?: RequestInit & { tenantId?: string; token?: string }): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: RequestInit & { tenantId?: string }): Promise<T>;
}

export async function requestToken(
  sandbox: Sandbox,
  clientId = 'cid.sandbox',
  clientSecret = 'cs1.sandbox-secret',
): Promise<Response> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  return sandbox.app.request('/connect/token', {
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export function testSandbox(options: SandboxOptions = {}): TestSandbox {
  const sandbox = createSandbox({
    ...options,
    settings: { rateLimitPerSecond: 0, ...options.settings },
  });
  const tenantId = sandbox.state.defaultTenant?.tenantId ?? '1000001';
  let cached: string | undefined;
  const token = async (clientId?: string, clientSecret?: string) => {
    const res = await requestToken(sandbox, clientId, clientSecret);
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const api: TestSandbox['api'] = async (path, init = {}) => {
    const { tenantId: tid = tenantId, token: given, ...rest } = init;
    cached ??= await token();
    const headers = new Headers(rest.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${given ?? cached}`);
    if (!headers.has('st-app-key')) headers.set('st-app-key', 'ak1.sandbox');
    if (rest.body !== undefined && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    const url = `/pricebook/v2/tenant/${tid}/${path}`;
    const res = await sandbox.app.request(url, { ...rest, headers });
    if (res.status !== 401 || given || init.headers) return res;
    // The shared token died (clock moved past its lifetime): get another, like a client would.
    cached = await token();
    headers.set('authorization', `Bearer ${cached}`);
    return sandbox.app.request(url, { ...rest, headers });
  };
  const json = async <T>(path: string, init?: RequestInit & { tenantId?: string }) => {
    const res = await api(path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { ...sandbox, tenantId, token, api, json };
}
