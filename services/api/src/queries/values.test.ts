import { describe, expect, it } from 'vitest';
import { decodeCursor, keysetPage } from './values';

describe('keysetPage', () => {
  const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
  const key = (r: { k: string }) => [r.k];

  it('keeps the first rows and points after the last of them when the extra row came back', () => {
    const page = keysetPage(rows, 2, key);
    expect(page.items).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(decodeCursor(page.nextCursor ?? '', [() => true], 'cursor')).toEqual(['b']);
  });

  it('has no next cursor on the last page, full or not', () => {
    expect(keysetPage(rows, 3, key)).toEqual({ items: rows, nextCursor: null });
    expect(keysetPage([], 3, key)).toEqual({ items: [], nextCursor: null });
  });
});
