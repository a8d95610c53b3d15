import { randomUUID } from 'node:crypto';
import {
  createMessage,
  type EntityType,
  entityTables,
  type Message,
  noPushBrake,
  stContentHash,
} from '@pricebook/contracts';
import type { StClient } from '@pricebook/st-client';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { singleTenantClients } from '../shared/tenant-st';
import { type Harness, resetDatabase, sandboxClient, startHarness, testLogger } from '../test-support';
import { type PushDeps, type PushOutcome, runPush } from './run';

export const APP_GUID = '0b8f5f0e-9a77-4b8e-8f3c-5a1d2e3f4a5b';

/** A database, NATS and an ST sandbox whose tenant is the harness tenant (test support only). */
export interface PushWorld {
  h: Harness;
  sb: StartedSandbox;
  st: StClient;
  close(): Promise<void>;
}

export async function startPushWorld(items = 12): Promise<PushWorld> {
  const h = await startHarness();
  const sb = await startSandbox({ items, seed: 5, tenantId: '1001' });
  const st = sandboxClient(sb, { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } });
  return {
    h,
    sb,
    st,
    async close() {
      await sb.stop();
      await h.close();
    },
  };
}

export function pushDeps(world: PushWorld, overrides: Partial<PushDeps> = {}): PushDeps {
  return {
    orm: world.h.orm,
    clients: singleTenantClients('1001', world.st, APP_GUID),
    hardDelete: false,
    batchSize: 50,
    bulkMin: 1000,
    // The push brake has its own tests (brake.test.ts); here it lets everything through.
    limits: noPushBrake,
    ...overrides,
  };
}

/** Copies every ST record of `entity` into the database as a synced row, with no audit left behind. */
export async function mirror(world: PushWorld, entity: EntityType): Promise<void> {
  const records: Record<string, unknown>[] = [];
  for await (const page of world.st.list(entity))
    records.push(...(page.records as Record<string, unknown>[]));
  await world.h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    for (const r of records) {
      await em.execute(
        `insert into ${entityTables[entity]} (tenant_id, st_id, data, base, content_hash, st_modified_on, last_synced_at, sync_status)
         values ('1001', ?, ?::jsonb, ?::jsonb, ?, ?::timestamptz, now(), 'synced')`,
        [r.id, JSON.stringify(r), JSON.stringify(r), stContentHash(entity, r), r.modifiedOn],
      );
    }
  });
  await world.h.sql('delete from pricebook_changes');
  await world.h.sql('delete from pricebook_outbox');
}

/**
 * Each test's starting point: a database that mirrors ServiceTitan's materials and nothing else,
 * and the sandbox with no faults and fresh request counters.
 */
export async function resetPushWorld(world: PushWorld): Promise<void> {
  await world.sb.control.clearFaults();
  await resetDatabase(world.h);
  await mirror(world, 'materials');
  await world.sb.control.resetStats();
}

/** The sandbox routes the push tests count requests of (keys of `requestsByPath`). */
export const PATCH = 'PATCH /pricebook/v2/tenant/:tenant/materials/:id';
export const POST = 'POST /pricebook/v2/tenant/:tenant/materials';
export const BULK = 'PATCH /pricebook/v2/tenant/:tenant/pricebook';

const log = testLogger('push-test');

/**
 * A test file's push world (valid once the file's `beforeAll` ran), with its helpers bound to it,
 * so tests say `w.rowOf('materials', id)` rather than threading the world through every call.
 */
export interface PushTestWorld extends PushWorld {
  /** The ST ids of the first `known` sandbox materials. */
  ids(): number[];
  /** The `i`-th of them. */
  stId(i: number): number;
  /** Runs a push command for the sync as the write-back job would, on `pushDeps` and `overrides`. */
  push(syncId: string, data?: PushCommandData, overrides?: Partial<PushDeps>): Promise<PushOutcome>;
  createSync(options?: PushSyncOptions): Promise<string>;
  idOf(entity: EntityType, stId: number): Promise<string>;
  rowOf(entity: EntityType, id: string): Promise<Row>;
  /** Requests the sandbox saw per `"<METHOD> <route>"`. */
  requests(): Promise<Record<string, number>>;
  /** The ST materials a create tagged (`externalData`) with the local row `id`. */
  taggedWith(id: string): ReturnType<StClient['findByExternalData']>;
}

/**
 * Registers a test file's hooks around a push world of its own and returns it: every test begins
 * from the mirrored sandbox (`resetPushWorld`), and it closes after the file.
 *
 * @example
 * const w = usePushWorld({ items: 12, known: 6 });
 * const id = await w.idOf('materials', w.stId(0));
 */
export function usePushWorld(options: { items: number; known: number }): PushTestWorld {
  let world: PushWorld | undefined;
  let ids: number[] = [];
  beforeAll(async () => {
    world = await startPushWorld(options.items);
    ids = (await world.sb.control.items('materials')).map((i) => i.id).slice(0, options.known);
  });
  afterAll(() => world?.close());
  beforeEach(async () => {
    if (world) await resetPushWorld(world);
  });
  const current = (): PushWorld => {
    if (!world) throw new Error("the push world starts in the test file's beforeAll");
    return world;
  };
  return {
    get h() {
      return current().h;
    },
    get sb() {
      return current().sb;
    },
    get st() {
      return current().st;
    },
    close: () => current().close(),
    ids: () => ids,
    stId(i) {
      const id = ids[i];
      if (id === undefined) throw new Error('not enough sandbox materials');
      return id;
    },
    push: (syncId, data = {}, overrides = {}) =>
      runPush(pushDeps(current(), overrides), pushCommand(syncId, data), log, 1),
    createSync: (syncOptions) => createPushSync(current(), syncOptions),
    idOf: (entity, stId) => idOf(current(), entity, stId),
    rowOf: (entity, id) => rowOf(current(), entity, id),
    requests: () => requestsByPath(current()),
    taggedWith: (id) =>
      current().st.findByExternalData('materials', {
        applicationGuid: APP_GUID,
        key: 'pricebookLocalId',
        values: id,
      }),
  };
}

/** A pushing sync's log row, as the fence leaves it before the push. */
export interface PushSyncOptions {
  dryRun?: boolean;
  entityTypes?: EntityType[];
  resolveConflicts?: string;
  direction?: string;
  allowMassChange?: boolean;
}

export async function createPushSync(world: PushWorld, options: PushSyncOptions = {}): Promise<string> {
  const id = randomUUID();
  await world.h.sql(
    `insert into pricebook_sync_log (id, tenant_id, sync_type, direction, options, dry_run, status, started_at)
     values (?, '1001', 'incremental', ?, ?::jsonb, ?, 'pushing', now())`,
    [
      id,
      options.direction ?? 'to_st',
      JSON.stringify({
        entityTypes: options.entityTypes ?? ['materials'],
        resolveConflicts: options.resolveConflicts ?? 'manual',
        ...(options.allowMassChange ? { allowMassChange: true } : {}),
      }),
      options.dryRun ?? false,
    ],
  );
  return id;
}

/** What a push command may say besides its sync. */
export interface PushCommandData {
  entityTypes?: EntityType[];
  dryRun?: boolean;
  recordIds?: string[];
}

export function pushCommand(syncLogId: string, data: PushCommandData = {}): Message<'push.command'> {
  return createMessage('push.command', {
    id: `push:${syncLogId}`,
    tenant: '1001',
    correlationId: syncLogId,
    data: { entityTypes: ['materials'], ...data, syncLogId },
  });
}

export interface Row {
  id: string;
  st_id: string | null;
  data: Record<string, unknown>;
  base: Record<string, unknown> | null;
  content_hash: string | null;
  sync_status: string;
  has_conflict: boolean;
}

export async function rowOf(world: PushWorld, entity: EntityType, id: string): Promise<Row> {
  const [row] = await world.h.sql<Row>(
    `select id, st_id::text as st_id, data, base, content_hash, sync_status, has_conflict from ${entityTables[entity]} where id = ?`,
    [id],
  );
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

export async function idOf(world: PushWorld, entity: EntityType, stId: number): Promise<string> {
  const [row] = await world.h.sql<{ id: string }>(`select id from ${entityTables[entity]} where st_id = ?`, [
    stId,
  ]);
  if (!row) throw new Error(`no row for st ${stId}`);
  return row.id;
}

/** Requests the sandbox saw per `"<METHOD> <route>"`. */
export async function requestsByPath(world: PushWorld): Promise<Record<string, number>> {
  const stats = await world.sb.control.stats();
  return Object.fromEntries(Object.entries(stats.byPath).map(([k, v]) => [k, v.count]));
}
