import { canonicalJson, type EntityType, entityTypes } from '@pricebook/contracts';
import type { SandboxItem, Stack } from '@pricebook/testing';
import { until } from '@pricebook/testing/vitest';
import type pg from 'pg';
import { expect } from 'vitest';
import { eventCount, localRows, outboxDrained, rows, stRecords } from './index';

/** What a fault test expects besides the design's invariants. */
export interface ConvergenceOptions {
  /** Local rows allowed to differ from ServiceTitan (e.g. a conflict left for a person), by entity. */
  pendingOrConflicted?: Partial<Record<EntityType, number>>;
  /** Dead letters the scenario itself caused (a poison message); every other one is a failure. */
  deadLetters?: number;
}

const changeEvents = `('record.created', 'record.updated', 'record.deleted')`;

/** Waits until no sync is queued, running or pushing, then until every event has been relayed. */
export async function settled(db: pg.Client, timeoutMs = 180_000): Promise<void> {
  await until(
    'every sync to end',
    async () =>
      (
        await rows<{ n: string }>(
          db,
          `select count(*) as n from pricebook_sync_log where status in ('queued', 'running', 'pushing')`,
        )
      )[0]?.n === '0',
    timeoutMs,
  );
  await outboxDrained(db);
}

/**
 * After a fault, the state the design promises, checked field by field:
 *
 * - no sync is left queued, running or pushing, and none of those since `since` failed;
 * - every live local row equals its ServiceTitan record and nothing else exists locally
 *   (invariant 1), but for rows the scenario left pending or in conflict;
 * - every change has exactly one audit row and one public event, published once (invariant 5);
 * - ServiceTitan holds every item the engine created exactly once (invariant 4);
 * - nothing was dead-lettered but what the scenario expects (invariant 10).
 *
 * @example
 * await expectConverged(stack, db);
 */
export async function expectConverged(stack: Stack, db: pg.Client, options: ConvergenceOptions = {}) {
  await settled(db);

  const st = await stRecords(stack);
  for (const entity of entityTypes) {
    const local = await localRows(db, entity);
    const differing = [...st[entity]].filter(
      ([id, record]) => canonicalJson(local.get(id)?.data) !== canonicalJson(record),
    );
    const extra = [...local.keys()].filter((id) => !st[entity].has(id));
    expect(extra, `${entity}: local rows ServiceTitan does not have`).toEqual([]);
    expect(
      differing.length,
      `${entity}: rows unlike ServiceTitan's (${differing.map(([id]) => id).join(', ')})`,
    ).toBe(options.pendingOrConflicted?.[entity] ?? 0);
  }

  // Exactly one audit row and one event per change, per record.
  const mismatched = await rows<{ record_id: string; audit: string; events: string }>(
    db,
    `with a as (select record_id::text as record_id, count(*) as n from pricebook_changes group by 1),
          e as (select payload ->> 'recordId' as record_id, count(*) as n from pricebook_outbox
                 where event_type in ${changeEvents} group by 1)
     select coalesce(a.record_id, e.record_id) as record_id, coalesce(a.n, 0) as audit, coalesce(e.n, 0) as events
       from a full join e on a.record_id = e.record_id
      where coalesce(a.n, 0) <> coalesce(e.n, 0)`,
  );
  expect(mismatched, 'records whose audit rows and events differ in number').toEqual([]);
  const [outbox] = await rows<{ n: string }>(
    db,
    `select count(*) as n from pricebook_outbox where event_type in ${changeEvents}`,
  );
  let published = 0;
  for (const op of ['created', 'updated', 'deleted'])
    published += await eventCount(stack, `pricebook.events.*.*.${op}.v1`);
  expect(published, 'change events on the stream (each published once)').toBe(Number(outbox?.n));

  // No item created twice in ServiceTitan: each local id tagged at most once.
  for (const entity of ['materials', 'services', 'equipment'] as const) {
    const items = await stack.sandbox.control.items(entity, { includeDeleted: true });
    const tags = new Map<string, number>();
    for (const item of items) {
      const tag = localIdOf(item);
      if (tag) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    const twice = [...tags].filter(([, n]) => n > 1).map(([id]) => id);
    expect(twice, `${entity} created twice in ServiceTitan`).toEqual([]);
  }

  const [dead] = await rows<{ n: string }>(db, 'select count(*) as n from pricebook_dead_letters');
  expect(Number(dead?.n), 'dead letters').toBe(options.deadLetters ?? 0);
}

/** The local ids an engine-created item carries in its `externalData` (any application). */
function localIdOf(item: SandboxItem): string | undefined {
  for (const [app, entries] of Object.entries(item.externalDataByApp ?? {})) {
    const first = entries[0];
    if (first) return `${app}:${first.key}=${first.value}`;
  }
  return undefined;
}

/** A small seeded random source, so a failing run can be replayed with the same seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}
