import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './ports';

export interface PrivatePostgres {
  /** Connection string of the cluster's `postgres` database (trust auth, user `postgres`). */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

/** The folder of `initdb` and `pg_ctl`: `PG_BIN`, the newest `/usr/lib/postgresql/<n>/bin`, or `PATH`. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return '';
}

const tool = (name: string) => {
  const bin = pgBin();
  return bin ? join(bin, name) : name;
};

/** PostgreSQL refuses to run as root, so as root its tools run as the `postgres` OS user. */
function run(command: string, args: readonly string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`,
    );
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A PostgreSQL cluster of this test's own (`initdb` + `pg_ctl`, data under a temp dir, a free
 * port on 127.0.0.1), so a fault test can stop and start the database without touching the shared
 * server. Needs the PostgreSQL server binaries on this machine.
 *
 * @example
 * const pg = await startPrivatePostgres();
 * await pg.stop(); // the database is down
 * await pg.start(); // and back, with its data
 * await pg.close();
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'pb-pg-'));
  const data = join(root, 'data');
  if (process.getuid?.() === 0) {
    // The postgres user must be able to reach and own its data folder.
    chmodSync(root, 0o777);
    execFileSync('chown', ['postgres', root]);
  }
  run(tool('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${root} -c fsync=off`;
  const log = join(root, 'server.log');

  const start = async () => {
    run(tool('pg_ctl'), ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
    await waitFor(() => accepts(url), 30_000, `private PostgreSQL on ${port}`);
  };
  const stop = async () => {
    run(tool('pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  return {
    url,
    port,
    start,
    stop,
    async close() {
      if (existsSync(join(data, 'postmaster.pid'))) await stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
