import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { test } from './fixtures';

test.scoped({ sandboxOptions: { items: 12, seed: 4 } });

const seen: unknown[] = [];

describe('test worlds as fixtures', () => {
  test('gives a migrated database of the file', async ({ database }) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string | null }>(
        "select to_regclass('pricebook_sync_log')::text as name",
      );
      expect(rows[0]?.name).toBe('pricebook_sync_log');
    } finally {
      await client.end();
    }
    seen.push(database);
  });

  test('keeps one database for the whole file', ({ database }) => {
    expect(seen).toEqual([database]);
    expect(seen[0]).toBe(database);
  });

  test('gives a private NATS with the streams provisioned', async ({ nats }) => {
    const nc = await connect({ servers: nats.url });
    try {
      // The JetStream API itself, so this package needs no JetStream client.
      const reply = await nc.request('$JS.API.STREAM.NAMES');
      const { streams } = reply.json<{ streams: string[] }>();
      expect(streams).toEqual(expect.arrayContaining(['PRICEBOOK_COMMANDS', 'PRICEBOOK_EVENTS']));
    } finally {
      await nc.close();
    }
  });

  test('starts the sandbox with the options the file set', async ({ sandbox }) => {
    const [tenant] = await sandbox.control.tenants();
    // A sandbox started without options has no items at all.
    expect(tenant?.counts.materials).toBeGreaterThan(0);
  });
});
