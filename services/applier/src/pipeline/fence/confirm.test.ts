import { consumers, type Message } from '@pricebook/contracts';
import { handleEach, publish, publishAll } from '@pricebook/messaging';
import type { StClient } from '@pricebook/st-client';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { singleTenantClients } from '../../shared/tenant-st';
import {
  count,
  createSync,
  decided,
  fence,
  type Harness,
  materialRows,
  sandboxClient,
  seedRows,
  syncLog,
  tenant,
  testConsumer,
  useHarness,
} from '../../test-support';
import { decidedConsumer } from '../test-support';
import { type FenceHandlerOptions, handleFence } from './handler';

let h: Harness;
let st: StartedSandbox;
let stClient: StClient;
/** What the fence published for the comparator: the records the listing missed, read by id. */
let observed: Message<'record.observed'>[] = [];

useHarness(
  async (started) => {
    h = started;
    st = await startSandbox({ tenantId: tenant, items: 100, seed: 3 });
    // An outage is given up on quickly here; in production the client's defaults apply.
    stClient = sandboxClient(st, {
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 5_000 },
    });
    return [
      decidedConsumer(h),
      // Stands in for the comparator (another service): records what it is sent and answers `skip`.
      testConsumer(
        h,
        consumers.comparator,
        handleEach({
          'record.observed': async (message) => {
            observed.push(message);
            const { syncLogId, stId, modifiedOn } = message.data;
            await publish(h.js, decided(syncLogId, stId, { action: 'skip', modifiedOn }));
          },
        }),
      ),
      st,
    ];
  },
  { drainComparator: true },
);
beforeEach(async () => {
  await st.control.reset();
  observed = [];
});

const options = (overrides: Partial<FenceHandlerOptions> = {}): FenceHandlerOptions => ({
  orm: h.orm,
  js: h.js,
  st: singleTenantClients(tenant, stClient),
  maxDeleteShare: 0.5,
  waitMs: 30_000,
  pollMs: 50,
  ...overrides,
});

/** Local rows equal to every material ServiceTitan has, as a finished full sync leaves them. */
async function seedFromSt(): Promise<number[]> {
  const records: Record<string, unknown>[] = [];
  for await (const page of stClient.list('materials'))
    records.push(...(page.records as Record<string, unknown>[]));
  await seedRows(h, records);
  return records.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** A full sync whose listing showed only `listed`: their decisions applied, then the fence handled. */
async function fullSyncListing(listed: number[], overrides: Partial<FenceHandlerOptions> = {}) {
  const syncId = await createSync(h);
  await publishAll(
    h.js,
    listed.map((stId) => decided(syncId, stId, { action: 'skip' })),
  );
  const outcome = await handleFence(options(overrides), fence(syncId, { published: listed.length }), h.log);
  return { syncId, outcome, log: await syncLog(h, syncId) };
}

const deletedStIds = async () =>
  [...(await materialRows(h)).values()]
    .filter((r) => r.deleted_at !== null)
    .map((r) => Number(r.st_id))
    .sort((a, b) => a - b);
const deleteAudits = () => count(h, `select count(*) as n from pricebook_changes where operation = 'delete'`);
const deleteEvents = () =>
  count(h, `select count(*) as n from pricebook_outbox where event_type = 'record.deleted'`);

describe('a full sync believes a deletion only from evidence', () => {
  it('deletes only the unlisted rows ServiceTitan confirms gone by id, and observes the others again', async () => {
    const ids = await seedFromSt();
    const unlisted = ids.slice(0, 10);
    const gone = unlisted.slice(0, 3);
    const stillThere = unlisted.slice(3);
    for (const id of gone) await st.control.deleteItem('materials', id);
    const edited = stillThere[2] ?? 0;
    await st.control.editItem('materials', edited, { price: 777.5 });

    const { syncId, outcome, log } = await fullSyncListing(ids.slice(10));

    expect(outcome).toBe('finished');
    expect(log).toMatchObject({ status: 'completed', records_deleted: 3, records_fetched: ids.length - 3 });
    expect(await deletedStIds()).toEqual(gone);
    expect(await deleteAudits()).toBe(3);
    expect(await deleteEvents()).toBe(3);
    // The rows the listing missed went to the comparator as this sync's records, at ST's version.
    expect(observed.map((m) => m.data.stId).sort((a, b) => a - b)).toEqual(stillThere);
    expect(observed.every((m) => m.data.syncLogId === syncId && m.data.deleted === undefined)).toBe(true);
    expect(observed.find((m) => m.data.stId === edited)?.data.record).toMatchObject({ price: 777.5 });
  });

  it('counts only confirmed deletions against the mass-delete brake', async () => {
    const ids = await seedFromSt();
    // Two thirds unlisted would trip the brake, but ServiceTitan still has every one of them.
    const { outcome, log } = await fullSyncListing(ids.slice(0, 20));
    expect(outcome).toBe('finished');
    expect(log).toMatchObject({ status: 'completed', records_deleted: 0, error_message: null });
    expect(await deletedStIds()).toEqual([]);
    expect(observed).toHaveLength(ids.length - 20);
  });

  it('deletes nothing and fails the sync with the reason when ServiceTitan cannot be read', async () => {
    const ids = await seedFromSt();
    for (const id of ids.slice(0, 3)) await st.control.deleteItem('materials', id);
    await st.control.setFaults({ errorRate: 1, pathPattern: '/materials' });

    const { syncId, outcome, log } = await fullSyncListing(ids.slice(10));

    expect(outcome).toBe('failed');
    expect(log.status).toBe('failed');
    expect(String(log.error_message)).toMatch(
      /^deletions_unconfirmed: materials: 10 materials were missing from ServiceTitan's listing, but ServiceTitan could not be read to confirm it by id \(upstream_unavailable: .*\); nothing was deleted$/,
    );
    expect(await deletedStIds()).toEqual([]);
    expect(await deleteAudits()).toBe(0);
    expect(observed).toEqual([]);
    expect(
      await count(h, 'select count(*) as n from pricebook_sync_runs where sync_log_id = ?', [syncId]),
    ).toBe(0);
    const failed = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'sync.failed'`,
    );
    expect(failed[0]?.payload).toMatchObject({ error: { code: 'deletions_unconfirmed' } });
  });

  it('deletes nothing and says why when the applier has no ServiceTitan credentials', async () => {
    const ids = await seedFromSt();
    const { outcome, log } = await fullSyncListing(ids.slice(5), { st: undefined });
    expect(outcome).toBe('failed');
    expect(log.error_message).toBe(
      "deletions_unconfirmed: materials: 5 materials were missing from ServiceTitan's listing, but this applier has no ServiceTitan credentials to confirm it by id; nothing was deleted",
    );
    expect(await deletedStIds()).toEqual([]);
  });
});
