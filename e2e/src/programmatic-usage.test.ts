import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PricebookSyncEngine, ProblemError, SyncScheduler } from '@pricebook/client';
import { describe, expect } from 'vitest';
import { localRows, startFromFullSync, stRecords, test } from './test-support';

const example = fileURLToPath(new URL('./programmatic-usage/example.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the example as a user would, with only the environment given here. */
function runExample(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', example], {
      cwd: repoRoot,
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

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 17 } } });

// The original specification's programmatic API, on @pricebook/client, against every service
// running as its own process, the sandbox as ServiceTitan, real PostgreSQL and JetStream.
describe('the programmatic API', () => {
  startFromFullSync();

  test("runs the specification's Programmatic Usage example", async ({ stack, sql }) => {
    const engine = new PricebookSyncEngine({ url: stack.api.url, apiKey: stack.api.key });
    const [disputed, edited] = [...(await localRows(sql, 'materials')).keys()];
    if (disputed === undefined || edited === undefined) throw new Error('too few materials');

    // A dispute: ServiceTitan and a local edit change one material's price differently.
    const stPrice = 1234.5;
    await stack.sandbox.control.editItem('materials', disputed, { price: stPrice });
    const local = await engine.api.PATCH('/api/pricebook/{entity}/{id}', {
      params: { path: { entity: 'materials', id: `st:${disputed}` } },
      body: { price: 4321.25 },
    });
    expect(local.response.status).toBe(200);
    const opened = await engine.sync({
      fullSync: true,
      entityTypes: ['materials'],
      resolveConflicts: 'manual',
    });
    expect(opened).toMatchObject({ success: true, status: 'completed', stats: { conflicts: 1 } });
    const { conflicts } = await engine.getConflicts({ entityType: 'materials' });
    const conflict = conflicts.find((c) => c.stId === disputed);
    if (!conflict) throw new Error('no conflict opened');

    // What the example's full sync will find: two new materials and one edited in ServiceTitan.
    await stack.sandbox.control.createItem('materials');
    await stack.sandbox.control.createItem('materials');
    await stack.sandbox.control.editItem('materials', edited, { description: 'Edited in ServiceTitan' });

    const run = await runExample({
      PRICEBOOK_API_URL: stack.api.url,
      PRICEBOOK_API_KEY: stack.api.key,
      CONFLICT_ID: conflict.id,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Synced 2 new, 1 updated\n');

    const settled = await engine.api.GET('/api/sync/pricebook/conflicts/{id}', {
      params: { path: { id: conflict.id } },
    });
    expect(settled.data?.conflict).toMatchObject({
      status: 'resolved',
      resolution: 'keep_st',
      resolvedBy: 'admin',
    });
    expect((await localRows(sql, 'materials')).get(disputed)?.data.price).toBe(stPrice);
    expect((await stRecords(stack)).materials.get(disputed)?.price).toBe(stPrice);

    // Settling it twice is refused, as a typed problem.
    const again = await engine.resolveConflict(conflict.id, 'keep_local', 'admin').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ProblemError);
    expect(again).toMatchObject({ status: 409, code: 'conflict', retry: false });
  });

  test('reads status and history, runs a dry run and an incremental sync', async ({ stack }) => {
    const engine = new PricebookSyncEngine({ url: stack.api.url, apiKey: stack.api.key });
    const seen: string[] = [];
    const dry = await engine.sync({
      fullSync: true,
      dryRun: true,
      entityTypes: ['categories'],
      onProgress: (p) => seen.push(p.syncLogId),
    });
    expect(dry).toMatchObject({ success: true, status: 'completed', dryRun: true, stats: { errors: 0 } });
    // A sync this small may end before the stream's first look; any progress seen is this sync's.
    expect(seen.every((id) => id === dry.syncLogId)).toBe(true);
    const incremental = await engine.sync({ entityTypes: ['services'] });
    expect(incremental).toMatchObject({ success: true, status: 'completed', dryRun: false });

    const status = await engine.getStatus();
    expect(status.lastSync).toMatchObject({ id: incremental.syncLogId, syncType: 'incremental' });
    expect(status.stats.map((s) => s.entity_type).sort()).toEqual([
      'categories',
      'equipment',
      'materials',
      'services',
    ]);
    const { logs } = await engine.getLogs({ limit: 2 });
    expect(logs.map((l) => l.id)).toEqual([incremental.syncLogId, dry.syncLogId]);
  });

  test('starts and stops the scheduler', async ({ stack }) => {
    const scheduler = new SyncScheduler({ url: stack.api.url, apiKey: stack.api.key });
    expect(await scheduler.stop()).toMatchObject({ isRunning: false, nextRuns: { fullSync: null } });
    expect((await scheduler.status()).isRunning).toBe(false);
    expect(await scheduler.start()).toMatchObject({ isRunning: true });
    expect((await scheduler.status()).schedules).toEqual({
      fullSync: expect.any(String),
      incrementalSync: expect.any(String),
    });
  });

  test('a refused key is a ProblemError, not a result', async ({ stack }) => {
    const engine = new PricebookSyncEngine({ url: stack.api.url, apiKey: 'not-a-key-0123456789abcdef' });
    const error = await engine.getStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', title: 'Unauthorized' });
  });
});
