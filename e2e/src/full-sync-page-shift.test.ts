import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { canonicalJson, entityTypes } from '@pricebook/contracts';
import type { Stack } from '@pricebook/testing';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import {
  eventCount,
  localRows,
  outboxDrained,
  rows,
  startFromFullSync,
  stRecords,
  sync,
  test,
} from './test-support';

const PAGE_SIZE = 50;

/** The `deleted` events on the public stream, as `{ stId, syncLogId }`. */
async function deletedEvents(stack: Stack): Promise<{ stId: number; syncLogId: string }[]> {
  const subject = `pricebook.events.${stack.sandbox.tenantId}.*.deleted.v1`;
  const expected = await eventCount(stack, subject);
  const nc = await connect({ servers: stack.nats.url });
  try {
    // A reader of our own, as an integrator's would be; it vanishes a minute after its last use.
    const name = `page-shift-test-${randomUUID()}`;
    await (await jetstreamManager(nc)).consumers.add('PRICEBOOK_EVENTS', {
      name,
      filter_subject: subject,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: 60_000_000_000,
    });
    const consumer = await jetstream(nc).consumers.get('PRICEBOOK_EVENTS', name);
    const out: { stId: number; syncLogId: string }[] = [];
    while (out.length < expected) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
      for await (const m of batch) {
        const event = m.json<{ correlationId: string; data: { stId: number } }>();
        out.push({ stId: event.data.stId, syncLogId: event.correlationId });
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** Every ST record is a live local row, equal field for field; returns the live local ids ST lacks. */
async function expectLocalHoldsSt(db: pg.Client, stack: Stack): Promise<Record<string, number[]>> {
  const st = await stRecords(stack);
  const extra: Record<string, number[]> = {};
  for (const entity of entityTypes) {
    const local = await localRows(db, entity);
    for (const [id, record] of st[entity]) {
      expect(canonicalJson(local.get(id)?.data), `${entity} ${id}`).toBe(canonicalJson(record));
    }
    extra[entity] = [...local.keys()].filter((id) => !st[entity].has(id)).sort((a, b) => a - b);
  }
  return extra;
}

const sortedIds = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

test.scoped({
  stackOptions: {
    sandbox: { items: 400, seed: 31 },
    env: { FETCHER_LIST_PAGE_SIZE: String(PAGE_SIZE) },
  },
});

// ServiceTitan pages its lists by offset: a delete on page 1 while page 2 is read slides rows
// between pages, and the listing never shows them. A full sync must not take that for deletions.
describe('a full sync during a page shift, end to end', () => {
  startFromFullSync();

  test('deletes locally only what ServiceTitan really deleted, and ends equal to ServiceTitan', async ({
    stack,
    sql: db,
  }) => {
    const control = stack.sandbox.control;
    const before = sortedIds((await control.items('materials')).map((i) => i.id));
    expect(before.length).toBeGreaterThan(4 * PAGE_SIZE);
    // Deleted in ServiceTitan before the sync: the listing cannot show them.
    const deletedBefore = [before[150], before[160], before[170]].filter((id) => id !== undefined);
    for (const id of deletedBefore) await control.deleteItem('materials', id);
    const listed = before.filter((id) => !deletedBefore.includes(id));
    // Right after page 1 is served, a user deletes its first five items and adds three.
    await control.armPageShift({
      entity: 'materials',
      afterPage: 1,
      delete: { front: 5 },
      add: { count: 3 },
    });

    const shifted = await sync(stack, 'full');

    expect(shifted.status).toBe('completed');
    const [fired] = (await control.pageShifts()).fired;
    expect(fired?.deleted).toEqual(listed.slice(0, 5));
    expect(fired?.added).toHaveLength(3);
    // The five rows that slid from page 2 onto page 1 were never listed; ServiceTitan still has them.
    const slid = listed.slice(PAGE_SIZE, PAGE_SIZE + 5);
    const stNow = await stRecords(stack);
    for (const id of slid) expect(stNow.materials.has(id)).toBe(true);

    // Nothing ServiceTitan still has is deleted locally or announced as deleted.
    const extra = await expectLocalHoldsSt(db, stack);
    await outboxDrained(db);
    const events = await deletedEvents(stack);
    const stIds = new Set(entityTypes.flatMap((e) => [...stNow[e].keys()]));
    expect(events.filter((e) => stIds.has(e.stId))).toEqual([]);
    // What ServiceTitan really deleted before the sync is deleted locally, with one event each.
    expect(shifted.stats.deleted).toBe(deletedBefore.length);
    expect(sortedIds(events.filter((e) => e.syncLogId === shifted.syncLogId).map((e) => e.stId))).toEqual(
      deletedBefore,
    );
    const gone = await rows<{ st_id: string }>(
      db,
      'select st_id from pricebook_materials where deleted_at is not null order by st_id',
    );
    expect(gone.map((r) => Number(r.st_id))).toEqual(deletedBefore);
    // Only the five deleted after the listing had shown them are still here: no listing could see that.
    expect(extra).toEqual({ categories: [], materials: fired?.deleted, services: [], equipment: [] });

    // The next full sync sees them gone, and then local equals ServiceTitan exactly.
    const next = await sync(stack, 'full');
    expect(next).toMatchObject({ status: 'completed', stats: { deleted: 5, created: 0, updated: 0 } });
    expect(await expectLocalHoldsSt(db, stack)).toEqual({
      categories: [],
      materials: [],
      services: [],
      equipment: [],
    });
    await outboxDrained(db);
    const all = await deletedEvents(stack);
    expect(sortedIds(all.map((e) => e.stId))).toEqual(
      sortedIds([...deletedBefore, ...(fired?.deleted ?? [])]),
    );
  });
});
