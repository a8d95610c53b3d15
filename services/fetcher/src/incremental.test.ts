import type { SandboxItem } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { type FetchDeps, fetchSync } from './fetch-sync';
import { drainPipeline, fetchDeps, sorted, startWorld, syncCommand } from './test-support';

const SIXTEEN_MINUTES_MS = 16 * 60_000;
const world = forFile(() => startWorld({ items: 600, seed: 21, exportPageSize: 50 }));

/** Runs an incremental sync of materials and returns what it published. */
async function incremental(exportToken: string | null | undefined, extra: Partial<FetchDeps> = {}) {
  const command = syncCommand(world, {
    fullSync: false,
    entityTypes: ['materials'],
    ...(exportToken ? { exportTokens: { materials: exportToken } } : {}),
  });
  const [outcome] = await fetchSync(fetchDeps(world, extra), command, new AbortController().signal);
  const pipeline = await drainPipeline(world);
  const [fence] = pipeline.fences;
  if (!outcome || !fence) throw new Error('the sync fenced materials');
  return { outcome, fence: fence.data, observed: pipeline.observed.map((m) => m.data) };
}

describe('an incremental sync', () => {
  it('reads the whole feed from the beginning once, de-duplicating repeated rows', async () => {
    const everything = await world.sb.control.items('materials', { includeDeleted: true });
    const gone = everything.filter((i) => i.deleted).map((i) => i.id);
    expect(gone.length).toBeGreaterThan(0);

    const { outcome, fence, observed } = await incremental(undefined, { includeRecentChanges: true });
    // includeRecentChanges makes consecutive pages overlap: ST sent rows more than once.
    expect(outcome.received).toBeGreaterThan(fence.published);
    const ids = observed.map((o) => o.stId);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(sorted(ids)).toEqual(sorted(everything.map((i) => i.id)));
    expect(fence.published).toBe(everything.length);
    expect(fence.errors).toBe(0);
    expect(fence.exportToken).toEqual(expect.any(String));
    expect(sorted(observed.filter((o) => o.deleted).map((o) => o.stId))).toEqual(sorted(gone));
  });

  it('resumes from a token and publishes only what changed, reporting a deleted item', async () => {
    const start = await incremental(undefined, { includeRecentChanges: false });
    const token = start.fence.exportToken;
    expect(token).toEqual(expect.any(String));

    const live = await world.sb.control.items('materials');
    const [edited, deactivated, removed] = live.filter((i) => i.active).slice(3, 6) as SandboxItem[];
    if (!edited || !deactivated || !removed) throw new Error('the tenant has active materials');
    await world.sb.control.editItem('materials', edited.id, { price: 777.5 });
    const created = await world.sb.control.createItem('materials', {
      code: 'INCR-NEW-1',
      description: 'new',
    });
    await world.sb.control.deactivateItem('materials', deactivated.id);
    await world.sb.control.deleteItem('materials', removed.id);

    // Without includeRecentChanges, edits show only once ServiceTitan's 15-minute lag has passed.
    const early = await incremental(token, { includeRecentChanges: false });
    expect(early.observed).toEqual([]);
    expect(early.fence.published).toBe(0);

    await world.sb.control.advanceClock(SIXTEEN_MINUTES_MS);
    const next = await incremental(token, { includeRecentChanges: false });
    const byId = new Map(next.observed.map((o) => [o.stId, o]));
    expect(sorted(byId.keys())).toEqual(sorted([edited.id, created.id, deactivated.id, removed.id]));
    expect(byId.get(edited.id)?.record.price).toBe(777.5);
    expect(byId.get(edited.id)?.deleted).toBeUndefined();
    expect(byId.get(created.id)?.record.code).toBe('INCR-NEW-1');
    expect(byId.get(deactivated.id)?.record.active).toBe(false);
    expect(byId.get(deactivated.id)?.deleted).toBeUndefined();
    expect(byId.get(removed.id)?.deleted).toBe(true);
    expect(next.fence.published).toBe(4);
    expect(next.fence.exportToken).toEqual(expect.any(String));
    expect(next.fence.exportToken).not.toBe(token);

    // Nothing changed since: the next run publishes nothing.
    const idle = await incremental(next.fence.exportToken, { includeRecentChanges: false });
    expect(idle.observed).toEqual([]);
    expect(idle.fence.published).toBe(0);

    // includeRecentChanges sees an edit at once, without waiting for the lag.
    await world.sb.control.editItem('materials', edited.id, { price: 778 });
    const recent = await incremental(next.fence.exportToken, { includeRecentChanges: true });
    expect(recent.observed.map((o) => [o.stId, o.record.price])).toEqual([[edited.id, 778]]);
  });

  it('publishes a record ST changed while the sync paged at both versions, and fences both', async () => {
    const start = await incremental(undefined, { includeRecentChanges: true });
    const live = (await world.sb.control.items('materials')).filter((i) => i.active);
    // More changes than one export page (50), so the feed has a page after the first.
    const changed = live.slice(10, 80);
    const [first] = changed;
    if (!first) throw new Error('the tenant has active materials');
    await world.sb.control.editItem('materials', first.id, { price: 5 });
    await world.sb.control.editItems(
      'materials',
      changed.slice(1).map((i) => i.id),
      { price: 5 },
    );
    await world.sb.control.editAfterExportPage('materials', first.id, { price: 6 });

    const { fence, observed } = await incremental(start.fence.exportToken, { includeRecentChanges: true });
    const seen = observed.filter((o) => o.stId === first.id);
    expect(seen.map((o) => o.record.price)).toEqual([5, 6]);
    // The token resumes a few rows back (includeRecentChanges), so a few older rows come too.
    const records = new Set(observed.map((o) => o.stId));
    expect(records).toEqual(expect.objectContaining({ size: fence.published }));
    for (const item of changed) expect(records.has(item.id)).toBe(true);
    expect(fence.versions).toBe(fence.published + 1);
  });
});
