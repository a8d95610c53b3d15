import { describe, expect, it } from 'vitest';
import { newRecord } from '../requests/defaults';
import { EntityStore } from './entity-store';
import type { Stamp } from './stamp';
import type { MaterialRecord, Stored } from './types';

function liveEntries(store: EntityStore<MaterialRecord>, afterSeq = 0): number[] {
  const ids: number[] = [];
  for (let i = store.log.indexAfterSeq(afterSeq); i < store.log.length; i++) {
    const item = store.get(store.log.idAt(i));
    if (item && item.seq === store.log.seqAt(i)) ids.push(item.data.id);
  }
  return ids;
}

describe('EntityStore', () => {
  let t = 0;
  const stamp = (): Stamp => ({ ms: 1_700_000_000_000 + ++t, ticks: 0 });

  const make = (store: EntityStore<MaterialRecord>, id: number, code: string): Stored<MaterialRecord> => {
    const r = newRecord('materials', id);
    r.code = code;
    return store.insert(r, stamp());
  };

  it('keeps one live log entry per record through many edits and compaction', () => {
    const store = new EntityStore<MaterialRecord>('materials');
    const items = Array.from({ length: 10 }, (_, i) => make(store, i + 1, `C${i}`));
    const tokenSeq = store.log.lastSeq;
    for (let round = 0; round < 500; round++) for (const item of items) store.touch(item, stamp());
    expect(store.log.length).toBeLessThan(5000);
    expect(liveEntries(store).sort((a, b) => a - b)).toEqual(items.map((i) => i.data.id));
    // A seq that was compacted away still positions a reader correctly.
    expect(liveEntries(store, tokenSeq)).toHaveLength(10);
    expect(liveEntries(store, store.log.lastSeq)).toEqual([]);
  });

  it('indexes codes case-insensitively and frees them on delete or rename', () => {
    const store = new EntityStore<MaterialRecord>('materials');
    const a = make(store, 1, 'Pipe-1');
    expect(store.codeOwner('PIPE-1')).toBe(1);
    a.data = { ...a.data, code: 'Pipe-2' };
    store.touch(a, stamp(), 'Pipe-1');
    expect(store.codeOwner('pipe-1')).toBeUndefined();
    expect(store.codeOwner('pipe-2')).toBe(1);
    store.remove(a, stamp());
    expect(store.codeOwner('pipe-2')).toBeUndefined();
    expect(store.live()).toEqual([]);
    expect(store.get(1)?.deleted).toBe(true);
    expect(store.get(1)?.data.active).toBe(false);
  });

  it('keeps live records in id order even when history loads out of order', () => {
    const store = new EntityStore<MaterialRecord>('materials');
    for (const id of [5, 2, 9, 1]) {
      const r = newRecord('materials', id);
      r.code = `X${id}`;
      store.load({
        data: r,
        created: stamp(),
        modified: stamp(),
        seq: 0,
        deleted: false,
        external: undefined,
      });
    }
    store.finishLoad();
    expect(store.live().map((i) => i.data.id)).toEqual([1, 2, 5, 9]);
    expect(liveEntries(store)).toEqual([5, 2, 9, 1]);
  });
});
