import type { CreateTenantInput, SandboxControl, SandboxTenant, StartedSandbox } from './sandbox';

/**
 * The `TENANT_SECRETS_KEYS` every test stack runs with: a fixed key, so a service restarted in a
 * test still opens what the API sealed before. Only for tests; never a deployment's key.
 */
export const testTenantSecretsKeys = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

/** The application GUID of the stack's app: one app, so the same GUID for every tenant it reaches. */
export const testApplicationGuid = '5f0c6b1e-3d4a-4c2b-9e7f-0a1b2c3d4e5f';

/** A sandbox tenant the engine serves besides the stack's own (`ST_TENANT_ID`). */
export interface StackTenant extends SandboxTenant {
  name: string;
  /** The sandbox's control API, acting on this tenant. */
  control: SandboxControl;
}

export interface AddTenantInput extends CreateTenantInput {
  /** Default: `Sandbox tenant <id>`. */
  name?: string;
}

/** The body of `POST /api/tenants` that adds a sandbox tenant (the shape of `TenantCreateRequest`). */
export function tenantCreateBody(
  sandbox: Pick<StartedSandbox, 'baseUrl' | 'authUrl'>,
  tenant: SandboxTenant,
  name = `Sandbox tenant ${tenant.tenantId}`,
) {
  return {
    tenantId: tenant.tenantId,
    name,
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    appKey: tenant.appKey,
    applicationGuid: testApplicationGuid,
    apiBaseUrl: sandbox.baseUrl,
    authUrl: sandbox.authUrl,
  };
}

/**
 * Creates a tenant on the sandbox (with `items` of its own) and adds it to the engine through
 * `POST /api/tenants` with an admin key, as an operator would. Throws with the API's answer when
 * the API refuses it.
 *
 * @example
 * const b = await addSandboxTenant(stack, { items: 200, seed: 2 });
 * await fetch(`${stack.api.url}/api/sync/pricebook/full`, { headers: { 'pricebook-tenant': b.tenantId, … } });
 */
export async function addSandboxTenant(
  stack: { sandbox: StartedSandbox; api: { url: string; key: string } },
  input: AddTenantInput = {},
): Promise<StackTenant> {
  const { name, ...create } = input;
  const tenant = await stack.sandbox.control.createTenant(create);
  const body = tenantCreateBody(stack.sandbox, tenant, name);
  const res = await fetch(`${stack.api.url}/api/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.api.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST /api/tenants ${tenant.tenantId}: ${res.status} ${await res.text()}`);
  return { ...tenant, name: body.name, control: stack.sandbox.control.forTenant(tenant.tenantId) };
}
