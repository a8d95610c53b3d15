import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, startTestNats } from './index';

describe('test infrastructure', () => {
  it('creates and drops an isolated database', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('select current_database() as name');
    await client.end();
    expect(rows[0]?.name).toBe(db.name);
    await db.drop();
  });

  it('starts, stops and restarts a private JetStream server', async () => {
    const nats = await startTestNats();
    try {
      const nc = await connect({ servers: nats.url });
      expect(nc.info?.jetstream).toBe(true);
      await nc.close();
      await nats.stop();
      await expect(connect({ servers: nats.url, reconnect: false, timeout: 300 })).rejects.toThrow();
      await nats.start();
      const again = await connect({ servers: nats.url });
      await again.close();
    } finally {
      await nats.close();
    }
  });
});
