import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { consumers, streams } from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { EmbeddingsClient, embeddingsSettingsOf } from '@pricebook/embeddings';
import { createLogger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import { type Relay, startRelay } from '@pricebook/outbox';
import {
  createTestDatabase,
  type FakeEmbeddings,
  startFakeEmbeddings,
  startTestNats,
  type TestDatabase,
  type TestNats,
} from '@pricebook/testing';
import { runEmbedConsumers } from './start';
import type { YieldToSyncs } from './yield';

/** Test-only helpers of the embedder's tests (not exported by the service). */

export const tenant = '4242';
export const silentLog = createLogger({ service: 'embedder-test', level: 'silent' });

export interface EmbedderWorld {
  db: TestDatabase;
  orm: Orm;
  nats: TestNats;
  nc: NatsConnection;
  fake: FakeEmbeddings;
  embedder: EmbeddingsClient;
  /** Runs SQL as a person with psql would: a local edit. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Starts the consumers (and the outbox relay that turns edits into events). */
  startConsumers(options?: { yieldToSyncs?: Pick<YieldToSyncs, 'wait'> }): void;
  stopConsumers(): Promise<void>;
  close(): Promise<void>;
}

/** A migrated database, a JetStream with the engine's streams and durables, a fake provider. */
export async function startEmbedderWorld(): Promise<EmbedderWorld> {
  const [db, nats, fake] = await Promise.all([
    createTestDatabase('pb_embedder'),
    startTestNats(),
    startFakeEmbeddings(),
  ]);
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 4 });
  const nc = await connect({ servers: nats.url, name: 'embedder-test' });
  await provision(await jetstreamManager(nc), {
    streams: Object.values(streams),
    consumers: Object.values(consumers),
  });
  const js = jetstream(nc);
  const embedder = new EmbeddingsClient(embeddingsSettingsOf({ url: fake.url, model: 'fake-model' }));
  let running: { stop(): Promise<void> }[] = [];
  let relay: Relay | undefined;
  const world: EmbedderWorld = {
    db,
    orm,
    nats,
    nc,
    fake,
    embedder,
    sql: (query, params = []) => orm.em.fork().execute(query, params),
    startConsumers(options = {}) {
      relay = startRelay({ orm, js, log: silentLog, idleMs: 50 });
      running = Object.values(
        runEmbedConsumers({ js, log: silentLog, orm, embedder, dimensions: 1536, lingerMs: 20, ...options }),
      );
    },
    async stopConsumers() {
      await Promise.all([...running.map((r) => r.stop()), relay?.stop()]);
      running = [];
      relay = undefined;
    },
    async close() {
      await world.stopConsumers();
      await nc.close();
      await Promise.allSettled([orm.close(), nats.close(), fake.close()]);
      await db.drop();
    },
  };
  return world;
}
