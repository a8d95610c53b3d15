import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { provision } from '@pricebook/messaging';
import { createTestDatabase, freePort, migrateDatabase } from '@pricebook/testing';
import { until } from '@pricebook/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const probeMain = 'packages/service-kit/src/probe-service.test-support.ts';
const user = 'probe';

/** A real `nats-server` with one user, which the test can restart with another password (credentials revoked). */
async function startNatsServer() {
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  // One store across restarts, so the streams outlive them.
  const store = mkdtempSync(join(tmpdir(), 'pb-kit-nats-'));
  cleanups.push(async () => rmSync(store, { recursive: true, force: true }));
  let server: ChildProcess | undefined;
  const start = async (password: string) => {
    server = spawn(
      'nats-server',
      ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store, '--user', user, '--pass', password],
      { stdio: 'ignore' },
    );
    await until(
      `nats-server on ${url}`,
      async () => {
        const nc = await connect({ servers: url, user, pass: password, reconnect: false, timeout: 500 });
        await nc.close();
        return true;
      },
      20_000,
    );
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once('exit', () => resolve());
      s.kill('SIGTERM');
    });
  };
  return { url, start, stop };
}

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** Runs a service's main as its own process, as a supervisor would, and waits until it started. */
async function startMain(main: string, env: Record<string, string>, ready: RegExp): Promise<Started> {
  // A bundle (built by vitest's global setup) runs with plain node, as deployments run it.
  const args = main.endsWith('.js') ? [main] : ['--import', 'tsx', main];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  children.push(child);
  await until(main, () => ready.test(output) || child.exitCode !== null);
  return { child, exited, output: () => output };
}

const startProbe = (env: Record<string, string>, ready = /"msg":"probe started"/) =>
  startMain(probeMain, env, ready);

const children: ChildProcess[] = [];
const servers: Array<{ stop(): Promise<void> }> = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** The position of a log line with this message, or -1. */
const lineOf = (output: string, msg: string) => output.indexOf(`"msg":"${msg}"`);

describe('runService', () => {
  it('stops in order on SIGTERM (the part while NATS is open, then NATS) and exits 0; reads an old variable name with a warning', async () => {
    const nats = await startNatsServer();
    servers.push(nats);
    await nats.start('first-password');
    const probe = await startProbe({
      NATS_URL: nats.url,
      NATS_USER: user,
      NATS_PASSWORD: 'first-password',
      DB_POOL_MAX: '7',
    });
    expect(probe.output()).toMatch(/"poolMax":7,.*"msg":"probe settings"/);
    expect(probe.output()).toMatch(
      /"variable":"DB_POOL_MAX","use":"DATABASE_POOL_MAX".*renamed environment variable/,
    );

    probe.child.kill('SIGTERM');
    expect(await probe.exited).toBe(0);
    const out = probe.output();
    const order = ['probe stopping', 'probe part stopping', 'probe stopped'].map((msg) => lineOf(out, msg));
    expect(
      order.every((at) => at >= 0),
      out,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/"natsOpen":true,"msg":"probe part stopping"/);
    expect(lineOf(out, 'nats drained')).toBeGreaterThan(lineOf(out, 'probe part stopping'));
    expect(out).not.toContain('stopped unexpectedly');
  });

  it('exits 1 when a part ends without being asked, still closing NATS', async () => {
    const nats = await startNatsServer();
    servers.push(nats);
    await nats.start('first-password');
    const probe = await startProbe({ NATS_URL: nats.url, NATS_USER: user, NATS_PASSWORD: 'first-password' });
    probe.child.kill('SIGUSR2');

    expect(await probe.exited).toBe(1);
    expect(probe.output()).toMatch(/"part":"loop".*"msg":"part stopped unexpectedly; exiting"/);
    expect(lineOf(probe.output(), 'nats drained')).toBeGreaterThan(0);
  });

  it('exits 1 when the NATS connection closes for good (its credentials revoked), so a supervisor restarts it', async () => {
    const nats = await startNatsServer();
    servers.push(nats);
    await nats.start('first-password');
    const probe = await startProbe({ NATS_URL: nats.url, NATS_USER: user, NATS_PASSWORD: 'first-password' });
    // The same server back with another password: every reconnect is refused, and nats.js gives up.
    await nats.stop();
    await nats.start('second-password');

    expect(await probe.exited).toBe(1);
    expect(probe.output()).toMatch(/"part":"nats connection".*"msg":"part stopped unexpectedly; exiting"/);
  });

  it('refuses a bad environment with exit 1, naming the variable', async () => {
    const probe = await startProbe({ NATS_URL: 'not-a-url' }, /invalid configuration/);
    expect(await probe.exited).toBe(1);
    expect(probe.output()).toContain('NATS_URL: must be a nats:// URL');
  });
});

describe('a real service on the kit: the applier', () => {
  it('exits 0 on SIGTERM, and 1 when its NATS connection closes for good (it used to keep running)', async () => {
    const db = await createTestDatabase('pb_kit');
    cleanups.push(() => db.drop());
    await migrateDatabase(db.url);
    const nats = await startNatsServer();
    servers.push(nats);
    await nats.start('first-password');
    const admin = await connect({ servers: nats.url, user, pass: 'first-password' });
    await provision(await jetstreamManager(admin));
    await admin.close();
    const env = {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_USER: user,
      NATS_PASSWORD: 'first-password',
      ST_TENANT_ID: '1001',
      HEALTH_PORT: '0',
    };
    const applier = 'services/applier/dist/main.js';
    const ready = /"msg":"applier started"/;

    const first = await startMain(applier, env, ready);
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toContain('"msg":"applier stopped"');

    const second = await startMain(applier, env, ready);
    await nats.stop();
    await nats.start('second-password');
    expect(await second.exited, second.output()).toBe(1);
    expect(second.output()).toMatch(/"part":"nats connection".*"msg":"part stopped unexpectedly; exiting"/);
  }, 180_000);
});
