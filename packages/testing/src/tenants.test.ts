import { TenantCreateRequest } from '@pricebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedSandbox, sandboxAccessToken, startSandbox } from './sandbox';
import { tenantCreateBody, testTenantSecretsKeys } from './tenants';

describe('the tenants a test stack adds', () => {
  let st: StartedSandbox;

  beforeAll(async () => {
    st = await startSandbox({ items: 0 });
  });
  afterAll(async () => {
    await st?.stop();
  });

  it('describes a sandbox tenant as POST /api/tenants expects, with credentials the sandbox accepts', async () => {
    const tenant = await st.control.createTenant({ items: 10, seed: 5 });
    const body = tenantCreateBody(st, tenant);
    expect(TenantCreateRequest.parse(body)).toMatchObject(body);
    expect(body.tenantId).not.toBe(st.tenantId);

    const token = await sandboxAccessToken({
      tokenUrl: `${body.authUrl}/connect/token`,
      clientId: body.clientId,
      clientSecret: body.clientSecret,
    });
    const res = await fetch(`${body.apiBaseUrl}/pricebook/v2/tenant/${body.tenantId}/materials`, {
      headers: { authorization: `Bearer ${token}`, 'ST-App-Key': body.appKey },
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { data: unknown[] };
    expect(page.data).toHaveLength(tenant.counts.materials);
  });

  it('runs the stack with one secrets key in the form TENANT_SECRETS_KEYS takes', () => {
    // Its parser lives in @pricebook/tenants, which depends on this package for its own tests.
    const [id, key = ''] = testTenantSecretsKeys.split(':');
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(testTenantSecretsKeys).not.toContain(',');
  });
});
