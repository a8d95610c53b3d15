import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness, tenantBody } from '../test-support';
import { connectMcp, mcpText, seedServices, waterHeaterServices } from '../test-support/assistant';
import { seedConflict } from '../test-support/conflicts';

const h = forFile(() => startHarness());

describe('the assistant tools never answer a credential', () => {
  it('status, get_item with history, list_conflicts, search and proposals, for a tenant with stored secrets', async () => {
    const app = h.app({ config: { webhooks: { allowPrivateUrls: true } } });
    const tenant = h.tenant();
    const creds = tenantBody(tenant);
    const as = (key: string) => ({ key, headers: { 'pricebook-tenant': tenant } });
    expect((await call(app, 'POST', '/api/tenants', { key: keys.admin, body: creds })).status).toBe(201);
    const webhook = await call<{ secret: string }>(app, 'POST', '/api/webhooks', {
      ...as(keys.admin),
      body: { url: 'http://127.0.0.1:9/', eventTypes: ['sync.failed'] },
    });
    expect(webhook.status).toBe(201);
    await seedServices(h, tenant, waterHeaterServices());
    const conflict = await seedConflict(h, tenant, 9001);
    // A person's edit, so the record has history with an actor.
    const edit = await call(app, 'PATCH', '/api/pricebook/services/st:501', {
      ...as(keys.operator),
      body: { price: 1210 },
    });
    expect(edit.status).toBe(200);
    await h.sql(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, completed_at, error_message)
       values (?, 'full', 'from_st', 'failed', now(), 'ServiceTitan refused the credentials (401)')`,
      [tenant],
    );
    const [sealed] = await h.sql<{ client_id: string; client_secret: string; app_key: string }>(
      'select client_id, client_secret, app_key from pricebook_tenants where tenant_id = ?',
      [tenant],
    );

    const client = await connectMcp(app, keys.operator, { 'pricebook-tenant': tenant });
    const answers: string[] = [];
    const run = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError, name).toBeFalsy();
      answers.push(mcpText(result));
      return JSON.parse(mcpText(result)) as Record<string, unknown>;
    };
    await run('status', {});
    const item = await run('get_item', { entity: 'services', id: 'st:501', historyLimit: 50 });
    await run('get_item', { entity: 'materials', id: conflict.recordId });
    await run('list_conflicts', {});
    await run('search', { q: 'water heater', mode: 'text' });
    await run('search', { q: 'water heater', mode: 'hybrid' });
    const proposal = await run('propose_changes', {
      entity: 'services',
      summary: 'raise the 50 gal install',
      items: [{ id: 'st:502', fields: { price: 1508 } }],
    });
    await run('confirm_proposal', { id: proposal.id });
    await client.close();

    const all = answers.join('\n');
    // The tools did answer the tenant's data: history with its actor, the conflict, the sync.
    expect((item.history as unknown[]).length).toBeGreaterThan(0);
    expect(all).toContain('api:operator:');
    expect(all).toContain(conflict.conflictId);
    expect(all).toContain('ServiceTitan refused the credentials');
    const secrets = [
      creds.clientId,
      creds.clientSecret,
      creds.appKey,
      sealed?.client_id,
      sealed?.client_secret,
      sealed?.app_key,
      webhook.body.secret,
      webhook.body.secret.slice('whsec_'.length),
      ...Object.values(keys),
    ];
    for (const secret of secrets) {
      expect(secret).toBeTruthy();
      expect(all).not.toContain(secret);
    }
    // Nor does the log of the calls.
    const logged = JSON.stringify(h.lines.filter((l) => l.msg === 'assistant tool call'));
    expect(logged).toContain('get_item');
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
