import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { dockerAvailable } from './docker';
import { freePort, waitFor } from './ports';

/** A user of a server config, and the password this test run gave it. */
export interface TestNatsUser {
  user: string;
  password: string;
}

export interface TestNats {
  url: string;
  /** With a config file: every user it names, by name. Empty for an open server. */
  users: Record<string, TestNatsUser>;
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

async function canConnect(url: string, login?: TestNatsUser): Promise<boolean> {
  const credentials = login ? { user: login.user, pass: login.password } : {};
  const nc = await connect({ servers: url, timeout: 500, reconnect: false, ...credentials });
  await nc.close();
  return true;
}

export interface StartTestNatsOptions {
  /**
   * Run with this server config (e.g. the shipped `deploy/nats/nats-server.conf`) instead of an
   * open server. Every `user: <name>, password: $<VARIABLE>` entry gets a fresh random password,
   * handed to the server through its environment and returned in `users`. Needs `nats-server`.
   */
  configFile?: string;
}

/** The users of a config whose passwords come from environment variables: `[user, variable]`. */
function usersOf(configFile: string): Array<[string, string]> {
  const text = readFileSync(configFile, 'utf8');
  return [...text.matchAll(/user:\s*"?([\w-]+)"?\s*,\s*password:\s*\$(\w+)/g)].map((m) => [
    m[1] ?? '',
    m[2] ?? '',
  ]);
}

/**
 * A JetStream server of this test file's own: `nats-server -js` on a free port with a
 * temporary store, so parallel test files never share streams. Falls back to a container
 * where Docker exists, or to NATS_URL (shared: only for serial runs).
 *
 * @example
 * const nats = await startTestNats({ configFile: 'deploy/nats/nats-server.conf' });
 * await connect({ servers: nats.url, ...nats.users.integrator });
 */
export async function startTestNats(options: StartTestNatsOptions = {}): Promise<TestNats> {
  if (hasNatsServer()) return startLocalNats(options);
  if (options.configFile) throw new Error('a NATS server config in tests needs nats-server installed');
  if (dockerAvailable()) return startContainerNats();
  const url = process.env.NATS_URL;
  if (!url) throw new Error('no NATS for tests: install nats-server, provide Docker, or set NATS_URL');
  const noop = async () => undefined;
  return { url, users: {}, stop: noop, start: noop, close: noop };
}

async function startLocalNats(options: StartTestNatsOptions): Promise<TestNats> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'pb-nats-'));
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const users: Record<string, TestNatsUser> = {};
  const serverEnv: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [user, variable] of options.configFile ? usersOf(options.configFile) : []) {
    // nats-server parses a variable's value as config: a password starting with a digit or `-`
    // would be read as a number, so it starts with a letter (as docs/operations.md asks).
    const password = `p${randomBytes(18).toString('hex')}`;
    users[user] = { user, password };
    serverEnv[variable] = password;
  }
  const probe = users.admin ?? Object.values(users)[0];
  // Command-line flags win over the config: this test's port, address and store.
  const config = options.configFile ? ['-c', options.configFile] : [];

  const start = async () => {
    const server = spawn(
      'nats-server',
      [...config, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: serverEnv,
      },
    );
    child = server;
    // The server logs to stderr; keep its last words in case it refuses to start.
    let log = '';
    server.stderr?.on('data', (c: Buffer) => {
      log = (log + c.toString()).slice(-2_000);
    });
    await waitFor(
      async () => {
        if (server.exitCode !== null) throw new Error(`nats-server exited (${server.exitCode}): ${log}`);
        return canConnect(url, probe);
      },
      20_000,
      `nats-server on ${url}`,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${log}`);
    });
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
    users,
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
    users: {},
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
