import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type EntityType, entityTables, entityTypes } from '@pricebook/contracts';
import { StClient } from '@pricebook/st-client';
import { type Stack, type StartStackOptions, startStack, stCredentials } from '@pricebook/testing';
import { until, test as worldTest } from '@pricebook/testing/vitest';
import pg from 'pg';
import { beforeEach, expect } from 'vitest';

/** Calls the engine's HTTP API as an admin. */
export async function api<T = Record<string, unknown>>(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.api.key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export interface SyncResult {
  success: boolean;
  syncLogId: string;
  status: string;
  stats: Record<'fetched' | 'created' | 'updated' | 'deleted' | 'skipped' | 'conflicts' | 'errors', number>;
  error?: string;
}

/** Runs one sync through the API and waits for its end. */
export async function sync(
  stack: Stack,
  kind: 'full' | 'incremental',
  options: Record<string, unknown> = {},
): Promise<SyncResult> {
  const res = await api<SyncResult>(stack, 'POST', `/api/sync/pricebook/${kind}?wait=true`, options);
  if (res.status !== 200) throw new Error(`sync ${kind} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export function sqlClient(stack: Stack): pg.Client {
  return new pg.Client({ connectionString: stack.db.url });
}

export async function rows<T>(db: pg.Client, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query(text, values)).rows as T[];
}

/** Every record ServiceTitan has now, as the engine's client parses it, by entity and id. */
export async function stRecords(
  stack: Stack,
): Promise<Record<EntityType, Map<number, Record<string, unknown>>>> {
  const client = new StClient(stCredentials(stack.sandbox));
  const out = {} as Record<EntityType, Map<number, Record<string, unknown>>>;
  for (const entity of entityTypes) {
    const map = new Map<number, Record<string, unknown>>();
    for await (const page of client.list(entity)) {
      for (const record of page.records) map.set(Number(record.id), record as Record<string, unknown>);
    }
    out[entity] = map;
  }
  return out;
}

/** Local live rows of an entity by ST id. */
export async function localRows(
  db: pg.Client,
  entity: EntityType,
): Promise<Map<number, { id: string; data: Record<string, unknown>; version: number; sync_status: string }>> {
  const list = await rows<{
    id: string;
    st_id: string;
    data: Record<string, unknown>;
    version: number;
    sync_status: string;
  }>(
    db,
    `select id, st_id, data, version, sync_status from ${entityTables[entity]} where deleted_at is null`,
  );
  return new Map(list.map((r) => [Number(r.st_id), r]));
}

/** Waits until the outbox relay has published every event. */
export async function outboxDrained(db: pg.Client): Promise<void> {
  await until(
    'the outbox to drain',
    async () =>
      (
        await rows<{ n: string }>(db, 'select count(*) as n from pricebook_outbox where published_at is null')
      )[0]?.n === '0',
  );
}

/** How many messages the public events stream holds, by subject filter. */
export async function eventCount(stack: Stack, filter = 'pricebook.events.>'): Promise<number> {
  const nc = await connect({ servers: stack.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('PRICEBOOK_EVENTS', { subjects_filter: filter });
    return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
  } finally {
    await nc.close();
  }
}

/** Public record events (not the sync lifecycle ones) on the events stream. */
export async function recordEventCount(stack: Stack): Promise<number> {
  let total = 0;
  for (const entity of entityTypes) total += await eventCount(stack, `pricebook.events.*.${entity}.>`);
  return total;
}

export const counts = async (db: pg.Client) => {
  const [r] = await rows<{ changes: string; outbox: string; versions: string }>(
    db,
    `select (select count(*) from pricebook_changes) as changes,
            (select count(*) from pricebook_outbox where event_type like 'record.%') as outbox,
            (select coalesce(sum(version), 0) from (
               select version from pricebook_categories union all select version from pricebook_materials
               union all select version from pricebook_services union all select version from pricebook_equipment) v) as versions`,
  );
  return { changes: Number(r?.changes), outbox: Number(r?.outbox), versions: Number(r?.versions) };
};

/** What an end-to-end file's tests get on top of the stack. */
export interface EndToEndWorld {
  /** A SQL connection to the stack's database, open for the whole file. */
  sql: pg.Client;
  /** The result of one full sync run when a test of the file first asks for it. */
  firstSync: SyncResult;
}

/**
 * `test` for end-to-end files: the whole stack (`test.scoped({ stackOptions: … })`), a SQL client
 * on its database and the file's first full sync, each started once for the file.
 *
 * @example
 * test.scoped({ stackOptions: { sandbox: { items: 40, seed: 5 } } });
 * startFromFullSync();
 * test('…', async ({ stack, sql }) => { … });
 */
export const test = worldTest.extend<EndToEndWorld>({
  sql: [
    async ({ stack }, use) => {
      const client = sqlClient(stack);
      await client.connect();
      try {
        await use(client);
      } finally {
        await client.end();
      }
    },
    { scope: 'file' },
  ],
  firstSync: [
    async ({ stack }, use) => {
      await use(await sync(stack, 'full'));
    },
    { scope: 'file' },
  ],
});

/**
 * Every test of the enclosing block starts after the file's first full sync, which must have
 * completed; it runs once, with the stack's start, and may take a while (hence the timeout).
 */
export function startFromFullSync(): void {
  beforeEach<EndToEndWorld>(({ firstSync }) => {
    expect(firstSync).toMatchObject({ status: 'completed' });
  }, 180_000);
}

/** A stack, a SQL client on its database, and a way to stop both. */
export interface SyncedWorld {
  stack: Stack;
  sql: pg.Client;
  close(): Promise<void>;
}

/**
 * A stack and a SQL client after a first full sync that must complete, for a world that is not
 * the file's (e.g. one per case of a `describe.each`, with `forFile`).
 */
export async function startSyncedWorld(options: StartStackOptions): Promise<SyncedWorld> {
  const stack = await startStack(options);
  const sql = sqlClient(stack);
  const close = async () => {
    await sql.end().catch(() => undefined);
    await stack.stop();
  };
  try {
    await sql.connect();
    expect(await sync(stack, 'full')).toMatchObject({ status: 'completed' });
  } catch (error) {
    await close();
    throw error;
  }
  return { stack, sql, close };
}
