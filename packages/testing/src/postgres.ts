import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dockerAvailable } from './docker';

export interface TestDatabase {
  /** Connection string of a new, empty database owned by this test file. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

const localServer = 'postgresql://postgres@127.0.0.1:5432/postgres';
let containerUrl: Promise<string> | undefined;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The admin connection string of the server tests use: DATABASE_URL, the local server, or a container. */
async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (await reachable(localServer)) return localServer;
  if (!dockerAvailable()) {
    throw new Error('no PostgreSQL for tests: set DATABASE_URL, start the local server, or provide Docker');
  }
  containerUrl ??= (async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('pgvector/pgvector:pg16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start();
    return `postgresql://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  })();
  return containerUrl;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates a fresh database for one test file on the test server (or on `server`, an admin
 * connection string such as a private cluster's) and returns its URL.
 *
 * @example
 * const db = await createTestDatabase();
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = 'pb_test', server?: string): Promise<TestDatabase> {
  const admin = server ?? (await serverUrl());
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return {
    url: withDatabase(admin, name),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
