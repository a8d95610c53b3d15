import type { PushImpact } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { resetDatabase } from '../test-support';
import { mirror, usePushWorld } from './test-support';

const limits = { maxPriceChanges: 5, maxPriceChangeShare: 1, maxPriceFactor: 5, maxDeleteShare: 0.1 };

const w = usePushWorld({ items: 40, known: 20 });

/** A PostgreSQL array literal (the test's SQL helper inlines JavaScript arrays as lists). */
const array = (list: readonly number[]) => `{${list.join(',')}}`;
const push = (syncId: string) => w.push(syncId, {}, { limits });
const writes = async () =>
  Object.entries(await w.requests())
    .filter(([path]) => !path.startsWith('GET '))
    .reduce((n, [, count]) => n + count, 0);
const logOf = async (syncId: string) =>
  (
    await w.h.sql<{ status: string; error_message: string | null; push_impact: PushImpact | null }>(
      'select status, error_message, push_impact from pricebook_sync_log where id = ?',
      [syncId],
    )
  )[0];
const pending = async () =>
  Number(
    (
      await w.h.sql<{ n: string }>(
        `select count(*) as n from pricebook_materials where sync_status = 'pending_sync'`,
      )
    )[0]?.n,
  );
/** Raises the price of the first `n` materials by `percent`. */
const raise = (n: number, percent: number) =>
  w.h.sql(`update pricebook_materials set price = round(price * ?, 2) where st_id = any(?::bigint[])`, [
    1 + percent / 100,
    array(w.ids().slice(0, n)),
  ]);

describe('the push brake', () => {
  it('stops a push that would change more prices than allowed: sync failed with the numbers, nothing sent', async () => {
    await raise(8, 4);
    const sync = await w.createSync();
    expect(await push(sync)).toBe('failed');

    const row = await logOf(sync);
    expect(row?.status).toBe('failed');
    expect(row?.error_message).toMatch(/mass_change_refused: materials: 8 price changes/);
    expect(row?.error_message).toMatch(/allowMassChange/);
    expect(await writes()).toBe(0);
    expect(await pending()).toBe(8);
    const materials = row?.push_impact?.entities.find((e) => e.entity === 'materials');
    expect(materials).toMatchObject({ priceChanges: 8, distribution: { upTo5Pct: 8 } });
  });

  it('sends the same push when the request says allowMassChange', async () => {
    await raise(8, 4);
    const sync = await w.createSync({ allowMassChange: true });
    expect(await push(sync)).toBe('completed');
    expect(await writes()).toBeGreaterThan(0);
    expect(await pending()).toBe(0);
    expect((await logOf(sync))?.push_impact?.allowMassChange).toBe(true);
  });

  it('stops one price moved by more than the factor, and one wiped to zero', async () => {
    await raise(1, 900);
    const tenfold = await w.createSync();
    expect(await push(tenfold)).toBe('failed');
    expect((await logOf(tenfold))?.error_message).toMatch(/a price moves by more than ×5 \(largest ×10\)/);

    await resetDatabase(w.h);
    await mirror(w, 'materials');
    await w.h.sql('update pricebook_materials set price = 0 where st_id = ?', [w.ids()[0]]);
    const wiped = await w.createSync();
    expect(await push(wiped)).toBe('failed');
    expect((await logOf(wiped))?.error_message).toMatch(/wiped to zero/);
    expect(await writes()).toBe(0);
  });

  it('stops a push deleting more than the share of an entity', async () => {
    await w.h.sql('update pricebook_materials set deleted_at = now() where st_id = any(?::bigint[])', [
      array(w.ids().slice(0, 12)),
    ]);
    const sync = await w.createSync();
    expect(await push(sync)).toBe('failed');
    const live = (await logOf(sync))?.push_impact?.entities[0]?.liveItems ?? 0;
    expect(live).toBeGreaterThanOrEqual(20);
    expect((await logOf(sync))?.error_message).toContain(
      `materials: 12 deletions (${Math.round((12 / live) * 1000) / 10}% of ${live})`,
    );
    expect(await writes()).toBe(0);
  });

  it('lets a small edit through, and shows a dry run the numbers without stopping it', async () => {
    await raise(2, 4);
    const small = await w.createSync();
    expect(await push(small)).toBe('completed');
    expect(await pending()).toBe(0);

    await raise(8, 30);
    const dry = await w.createSync({ dryRun: true });
    expect(await w.push(dry, { dryRun: true }, { limits })).toBe('completed');
    const impact = (await logOf(dry))?.push_impact;
    expect(impact?.exceeded).toEqual([expect.stringMatching(/8 price changes/)]);
    expect(impact?.entities.find((e) => e.entity === 'materials')?.distribution.upTo50Pct).toBe(8);
    expect(await pending()).toBe(8);
  });
});
