import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Stack, startStack } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/pricebook.mjs', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `pricebook` binary as an operator would, with only the environment given here. */
function pricebook(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the pricebook CLI against a running engine', () => {
  let stack: Stack;
  let env: Record<string, string>;
  const cli = (...args: string[]) => pricebook(args, env);

  beforeAll(async () => {
    // No health/metrics listeners: their fixed default ports would collide with other stacks under test.
    stack = await startStack({ sandbox: { items: 120, seed: 41 }, env: { HEALTH_PORT: '0' } });
    env = { PRICEBOOK_API_URL: stack.api.url, PRICEBOOK_API_KEY: stack.api.key };
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('sync full --wait follows the sync to its end, prints the stats and exits 0', async () => {
    const run = await cli('sync', 'full', '--wait');
    expect(run.stderr).toMatch(/following it/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^sync [0-9a-f-]{36} completed in /);
    expect(run.stdout).toMatch(/fetched [\d,]+ · created [\d,]+ · updated \d+/);
    // Not a terminal, so progress comes as plain lines on stderr, never as a redrawn bar.
    expect(run.stderr).not.toContain('\r');
  });

  it('sync incremental --wait --json prints one parsable result', async () => {
    const run = await cli('sync', 'incremental', '--entity', 'materials', '--wait', '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      success: true,
      status: 'completed',
      entities: { requested: ['materials'], done: ['materials'] },
      stats: { errors: 0 },
    });
  });

  it('status and logs print what happened', async () => {
    const status = await cli('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Last sync: +incremental completed/);
    expect(status.stdout).toMatch(/^materials +\d+/m);

    const logs = await cli('logs', '--limit', '5', '--json');
    expect(logs.code, logs.stderr).toBe(0);
    const page = JSON.parse(logs.stdout) as { logs: Array<{ id: string; syncType: string }> };
    expect(page.logs.map((l) => l.syncType)).toEqual(['incremental', 'full']);

    const table = await cli('logs');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(page.logs[1]?.id);

    const one = await cli('logs', String(page.logs[1]?.id));
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/full from_st completed/);
    expect(one.stdout).toMatch(/^categories +\d+/m);
  });

  it('a sync that fails (the mass-delete brake) exits 1 with the reason', async () => {
    const categories = (await stack.sandbox.control.items('categories')).filter((c) => !c.deleted);
    const doomed = categories.slice(0, Math.ceil(categories.length * 0.7));
    for (const c of doomed) await stack.sandbox.control.deleteItem('categories', c.id);

    const run = await cli('sync', 'full', '--entity', 'categories', '--wait');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ failed in /);
    expect(run.stderr).toMatch(/error: .*delete/i);
  });

  it('conflicts resolve --strategy manual leaves the conflict open and shows who looked at it', async () => {
    // A dispute: ServiceTitan and the local side change one material's price differently.
    const [item] = (await stack.sandbox.control.items('materials')).filter((m) => !m.deleted);
    if (!item) throw new Error('no material');
    await stack.sandbox.control.editItem('materials', item.id, { price: Number(item.price) + 3 });
    const patch = await fetch(`${stack.api.url}/api/pricebook/materials/st:${item.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.api.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ price: Number(item.price) + 4 }),
    });
    expect(patch.status).toBe(200);
    expect((await cli('sync', 'full', '--entity', 'materials', '--wait')).code).toBe(0);
    const listed = JSON.parse((await cli('conflicts', 'list', '--json')).stdout) as {
      conflicts: { id: string; stId: number }[];
    };
    const conflict = listed.conflicts.find((c) => c.stId === item.id);
    if (!conflict) throw new Error('no conflict opened');

    const run = await cli(
      'conflicts',
      'resolve',
      conflict.id,
      '--strategy',
      'manual',
      '--note',
      'ask the vendor',
      '--by',
      'ops@example.com',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`conflict ${conflict.id} left open (manual, by ops@example.com)`);
    const shown = await cli('conflicts', 'show', conflict.id);
    expect(shown.stdout).toMatch(/unresolved/);
    expect(shown.stdout).toMatch(/looked at by ops@example\.com .*: ask the vendor/);

    const misplaced = await cli(
      'conflicts',
      'resolve',
      conflict.id,
      '--strategy',
      'keep_st',
      '--note',
      'x',
      '--by',
      'ops',
    );
    expect(misplaced.code).toBe(2);
  });

  it('tenants list and test speak to the real API: the environment tenant, and a working connection', async () => {
    const list = await cli('tenants', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const body = JSON.parse(list.stdout) as { tenants: Array<{ tenantId: string; source: string }> };
    expect(body.tenants[0]).toMatchObject({ tenantId: stack.sandbox.tenantId, source: 'environment' });

    const test = await cli('tenants', 'test', stack.sandbox.tenantId);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^connection ok: read \d+ materials? from page 1 in \d+ ms$/m);

    // The deployment's own tenant is changed through its settings, not here: one 409 line, exit 1.
    const pause = await cli('tenants', 'pause', stack.sandbox.tenantId);
    expect(pause.code).toBe(1);
    expect(pause.stderr).toMatch(/^pricebook: 409 conflict: .*ST_TENANT_ID/);
  });

  it('exits 3 when the key is refused or the API is not there', async () => {
    const refused = await pricebook(['status'], { ...env, PRICEBOOK_API_KEY: 'not-a-key-0123456789abcdef' });
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim()).toMatch(/^pricebook: 401 unauthorized: /);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const nowhere = await pricebook(['status'], { ...env, PRICEBOOK_API_URL: 'http://127.0.0.1:9' });
    expect(nowhere.code).toBe(3);
    expect(nowhere.stderr).toMatch(/cannot reach the API/);
  });

  it('exits 2 on a usage error, and shows help', async () => {
    for (const args of [
      ['sync', 'sideways'],
      ['sync', 'full', '--entity', 'widgets'],
      ['frobnicate'],
      ['logs', '--limit', 'lots'],
    ]) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/--help/);
    }
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:/);
    const syncHelp = await cli('sync', '--help');
    expect(syncHelp.code).toBe(0);
    expect(syncHelp.stdout).toMatch(/--dry-run/);
  });

  it('an unknown sync log id is one readable 404 line and exit 1', async () => {
    const run = await cli('logs', '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^pricebook: 404 not_found: no sync log/);
  });
});
