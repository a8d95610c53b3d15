import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { dockerAvailable } from './docker';
import { freePort, waitFor } from './ports';

export interface TestNats {
  url: string;
  /** Stops the server, keeping its store, so a test can see a NATS outage. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
}

function hasNatsServer(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function canConnect(url: string): Promise<boolean> {
  const nc = await connect({ servers: url, timeout: 500, reconnect: false });
  await nc.close();
  return true;
}

/**
 * A JetStream server of this test file's own: `nats-server -js` on a free port with a
 * temporary store, so parallel test files never share streams. Falls back to a container
 * where Docker exists, or to NATS_URL (shared: only for serial runs).
 */
export async function startTestNats(): Promise<TestNats> {
  if (hasNatsServer()) return startLocalNats();
  if (dockerAvailable()) return startContainerNats();
  const url = process.env.NATS_URL;
  if (!url) throw new Error('no NATS for tests: install nats-server, provide Docker, or set NATS_URL');
  const noop = async () => undefined;
  return { url, stop: noop, start: noop, close: noop };
}

async function startLocalNats(): Promise<TestNats> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'pb-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
      stdio: 'ignore',
    });
    await waitFor(() => canConnect(url), 10_000, `nats-server on ${url}`);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url,
    start,
    stop,
    async close() {
      await stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

async function startContainerNats(): Promise<TestNats> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.10')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  const url = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  return {
    url,
    stop: async () => {
      await container.stop({ remove: false });
    },
    start: async () => {
      await container.restart();
    },
    close: async () => {
      await container.stop();
    },
  };
}
