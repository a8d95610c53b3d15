import {
  compareStTimestamps,
  normalizeStTimestamp,
  type StMaterial,
  stContentHash,
} from '@pricebook/contracts';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxItem, sandboxClient } from './test-support';
import { stVersionKey } from './validate';

const FIFTEEN_MINUTES_MS = 15 * 60_000;

describe('export feed resumed after a restart', () => {
  let sb: StartedSandbox;

  beforeAll(async () => {
    sb = await startSandbox({ items: 3000, seed: 5, exportPageSize: 100 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('misses nothing and repeats nothing after de-duplication (includeRecentChanges)', async () => {
    const all = await sb.control.items('materials');
    const tied = all.slice(100, 350).map((m) => m.id);
    const [sample] = await sb.control.editItems('materials', tied, { price: 1.23 });
    const tiedStamp = normalizeStTimestamp(sample?.modifiedOn ?? '');
    expect(tiedStamp).toBeDefined();

    // Run 1: stop part-way through the 250 rows that share one modifiedOn.
    const run1: StMaterial[] = [];
    let saved = '';
    let received1 = 0;
    for await (const page of sandboxClient(sb).export('materials', { includeRecentChanges: true })) {
      run1.push(...page.records);
      received1 += page.received;
      saved = page.continueFrom;
      const seenTied = new Set(run1.filter((r) => r.modifiedOn === tiedStamp).map((r) => r.id));
      if (seenTied.size >= 100) break;
    }
    const run1Tied = new Set(run1.filter((r) => tied.includes(r.id) && r.price === 1.23).map((r) => r.id));
    expect(run1Tied.size).toBeGreaterThanOrEqual(100);
    expect(run1Tied.size).toBeLessThan(tied.length);

    // Edits while "down": seen and unseen rows, a create, a deactivation, a delete.
    const seenIds = [...run1Tied].slice(0, 5);
    const unseenIds = tied.filter((id) => !run1Tied.has(id)).slice(0, 5);
    for (const id of [...seenIds, ...unseenIds]) await sb.control.editItem('materials', id, { price: 9.99 });
    const created = await sb.control.createItem('materials', { code: 'EXPORT-NEW-1', description: 'x' });
    const [first, second] = all;
    if (!first || !second) throw new Error('tenant has materials');
    await sb.control.deactivateItem('materials', first.id);
    await sb.control.deleteItem('materials', second.id);

    // Run 2: a new client instance resumes from the saved token.
    const run2: StMaterial[] = [];
    let received2 = 0;
    const restarted = sandboxClient(sb);
    for await (const page of restarted.export('materials', { from: saved, includeRecentChanges: true })) {
      expect(page.invalid).toEqual([]);
      run2.push(...page.records);
      received2 += page.received;
    }

    const run1Keys = new Set(run1.map(stVersionKey));
    const repeatedFromRun1 = run2.filter((r) => run1Keys.has(stVersionKey(r)));
    // Resuming re-sends at most the few overlap rows, never the feed from the start.
    expect(repeatedFromRun1.length).toBeLessThanOrEqual(3);
    // The feed did repeat rows (overlap), so de-duplication was needed.
    expect(received1 + received2).toBeGreaterThan(new Set([...run1, ...run2].map(stVersionKey)).size);

    const latest = new Map<number, StMaterial>();
    for (const r of [...run1, ...run2]) {
      const prev = latest.get(r.id);
      if (!prev || compareStTimestamps(r.modifiedOn, prev.modifiedOn) >= 0) latest.set(r.id, r);
    }
    const raw = await sb.control.items('materials', { includeDeleted: true });
    expect(raw.some((r) => r.id === created.id)).toBe(true);
    const missing = raw.filter((r) => !latest.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
    expect([...latest.keys()].filter((id) => !raw.some((r) => r.id === id))).toEqual([]);
    const stale = raw
      .filter((r) => !r.deleted)
      .filter((r) => {
        const got = latest.get(r.id);
        return (
          !got ||
          stContentHash('materials', got) !== stContentHash('materials', parseSandboxItem('materials', r))
        );
      })
      .map((r) => r.id);
    expect(stale).toEqual([]);
    for (const id of [...seenIds, ...unseenIds]) expect(latest.get(id)?.price).toBe(9.99);
    expect(latest.get(first.id)?.active).toBe(false);
  });

  it('holds edits back for 15 minutes without includeRecentChanges, then delivers each once', async () => {
    await sb.control.advanceClock(FIFTEEN_MINUTES_MS + 60_000);
    let token = '';
    for await (const page of sandboxClient(sb).export('services')) token = page.continueFrom;

    const services = await sb.control.items('services');
    const edited = services.slice(0, 60).map((s) => s.id);
    await sb.control.editItems('services', edited, { price: 42 });

    const early: number[] = [];
    for await (const page of sandboxClient(sb).export('services', { from: token })) {
      early.push(...page.records.map((r) => r.id));
      expect(page.continueFrom).toBe(token);
    }
    expect(early).toEqual([]);

    await sb.control.advanceClock(FIFTEEN_MINUTES_MS + 1000);
    const late: number[] = [];
    for await (const page of sandboxClient(sb).export('services', { from: token })) {
      for (const r of page.records) {
        expect(r.price).toBe(42);
        late.push(r.id);
      }
    }
    expect(late.sort((a, b) => a - b)).toEqual([...edited].sort((a, b) => a - b));
  });
});
