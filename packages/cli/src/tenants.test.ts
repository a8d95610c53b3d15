import { describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo, stubApiForFile } from './test-support';

const tenant = {
  tenantId: '1045327',
  name: 'Northside',
  status: 'active',
  source: 'database',
  clientId: 'cid.x',
  applicationGuid: null,
  apiBaseUrl: 'https://api.servicetitan.io',
  authUrl: 'https://auth.servicetitan.io',
  schedule: { fullCron: '0 3 * * *', incrementalCron: null, timezone: 'America/Chicago' },
  createdAt: '2026-12-06T15:00:00.000Z',
  updatedAt: '2026-12-06T15:00:00.000Z',
  removedAt: null,
};

const io = (env: Record<string, string> = {}, stdin = '') => recordingIo(api.url, env, stdin);

const api = stubApiForFile({ otherwise: { status: 200, body: { success: true, tenant } } });
const { seen, answers } = api;

describe('pricebook tenants', () => {
  it('lists the tenants as a table', async () => {
    answers.set('GET /api/tenants', { status: 200, body: { success: true, tenants: [tenant] } });
    const out = io();
    expect(await run(['tenants', 'list'], out)).toBe(0);
    expect(out.stdout[0]).toMatch(/^TENANT +NAME +STATUS +SOURCE +SCHEDULE/);
    expect(out.stdout[0]).toMatch(
      /1045327 +Northside +active +database +full 0 3 \* \* \*, incremental default, in America\/Chicago/,
    );
  });

  it('adds a tenant with the secrets from stdin, not the command line', async () => {
    const out = io({}, 'the-client-secret\nthe-app-key\n');
    const args = [
      'tenants',
      'add',
      '1045327',
      '--name',
      'Northside',
      '--client-id',
      'cid.x',
      '--secrets-stdin',
    ];
    const code = await run([...args, '--full-cron', '0 3 * * *', '--timezone', 'America/Chicago'], out);
    expect(code, out.stderr.join('\n')).toBe(0);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/api/tenants',
        tenant: undefined,
        body: {
          tenantId: '1045327',
          name: 'Northside',
          clientId: 'cid.x',
          clientSecret: 'the-client-secret',
          appKey: 'the-app-key',
          schedule: { fullCron: '0 3 * * *', timezone: 'America/Chicago' },
        },
      },
    ]);
    expect(out.stdout).toEqual(['tenant 1045327 active']);
  });

  it('takes the secrets from the environment, and says which one is missing', async () => {
    const env = { PRICEBOOK_CLIENT_SECRET: 'env-secret', PRICEBOOK_APP_KEY: 'env-key' };
    const args = ['tenants', 'add', '1045327', '--name', 'N', '--client-id', 'cid.x'];
    expect(await run(args, io(env))).toBe(0);
    expect(seen[0]?.body).toMatchObject({ clientSecret: 'env-secret', appKey: 'env-key' });

    const missing = io({ PRICEBOOK_CLIENT_SECRET: 'env-secret' });
    expect(await run(args, missing)).toBe(2);
    expect(missing.stderr[0]).toMatch(/tenants add needs --app-key, --secrets-stdin or PRICEBOOK_APP_KEY/);
    expect(seen).toHaveLength(1);
  });

  it('updates only the fields given; "default" puts a schedule back to the deployment’s', async () => {
    expect(await run(['tenants', 'update', '1045327', '--full-cron', 'default', '--name', 'N2'], io())).toBe(
      0,
    );
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      path: '/api/tenants/1045327',
      body: { name: 'N2', schedule: { fullCron: null } },
    });
    expect(seen[0]?.body).not.toHaveProperty('clientSecret');
    const none = io();
    expect(await run(['tenants', 'update', '1045327'], none)).toBe(2);
    expect(none.stderr[0]).toMatch(/needs a field to change/);
  });

  it.each([
    ['pause', 'POST', '/api/tenants/1045327/pause'],
    ['resume', 'POST', '/api/tenants/1045327/resume'],
    ['remove', 'DELETE', '/api/tenants/1045327'],
    ['show', 'GET', '/api/tenants/1045327'],
  ])('%s calls %s %s', async (action, method, path) => {
    const out = io();
    expect(await run(['tenants', action, '1045327'], out)).toBe(0);
    expect(seen).toEqual([expect.objectContaining({ method, path })]);
  });

  it('purge calls POST /api/tenants/{id}/purge and says how many rows went', async () => {
    answers.set('POST /api/tenants/1045327/purge', {
      status: 200,
      body: { success: true, tenantId: '1045327', deletedRows: 48210 },
    });
    const out = io();
    expect(await run(['tenants', 'purge', '1045327'], out)).toBe(0);
    expect(seen).toEqual([expect.objectContaining({ method: 'POST', path: '/api/tenants/1045327/purge' })]);
    expect(out.stdout).toEqual(['tenant 1045327 purged: 48210 rows deleted']);
  });

  it('test exits 0 when the connection works and 1 with the failing step otherwise', async () => {
    const path = 'POST /api/tenants/1045327/test';
    answers.set(path, {
      status: 200,
      body: {
        success: true,
        test: { ok: true, step: 'read', status: 200, detail: 'read 1 material from page 1', durationMs: 12 },
      },
    });
    const ok = io();
    expect(await run(['tenants', 'test', '1045327'], ok)).toBe(0);
    expect(ok.stdout).toEqual(['connection ok: read 1 material from page 1 in 12 ms']);
    answers.set(path, {
      status: 200,
      body: {
        success: true,
        test: {
          ok: false,
          step: 'token',
          status: 400,
          detail: 'ServiceTitan refused the client credentials',
          durationMs: 8,
        },
      },
    });
    const bad = io();
    expect(await run(['tenants', 'test', '1045327'], bad)).toBe(1);
    expect(bad.stdout).toEqual([
      'connection failed at token (HTTP 400): ServiceTitan refused the client credentials',
    ]);
  });

  it('prints a refusal as one line', async () => {
    answers.set('POST /api/tenants/9/pause', {
      status: 404,
      body: {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        detail: 'no tenant 9',
        code: 'not_found',
        retry: false,
      },
    });
    const out = io();
    expect(await run(['tenants', 'pause', '9'], out)).toBe(1);
    expect(out.stderr).toEqual(['pricebook: 404 not_found: no tenant 9']);
  });
});

describe('--tenant and PRICEBOOK_TENANT', () => {
  it('send Pricebook-Tenant on every request; the option wins over the environment', async () => {
    answers.set('GET /api/tenants', { status: 200, body: { success: true, tenants: [] } });
    await run(['tenants', 'list'], io({ PRICEBOOK_TENANT: '2001' }));
    await run(['tenants', 'list', '--tenant', '3001'], io({ PRICEBOOK_TENANT: '2001' }));
    await run(['--tenant', '4001', 'tenants', 'list'], io());
    await run(['--tenant=5001', 'tenants', 'list'], io());
    await run(['tenants', 'list'], io());
    expect(seen.map((s) => s.tenant)).toEqual(['2001', '3001', '4001', '5001', undefined]);
  });
});
