import { describe, expect, it } from 'vitest';
import { createdCursor, decodeCursor, encodeCursor, keysetPage } from './values';

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

describe('createdCursor', () => {
  const key = ['2025-12-06T02:00:00.123456Z', '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d'];

  it('keeps the rows on the asked side of the cursor, its parts as parameters', () => {
    expect(createdCursor(encodeCursor(key), '<')).toEqual({
      sql: '(created_at, id) < (?::timestamptz, ?::uuid)',
      params: key,
    });
    expect(createdCursor(encodeCursor(key), '>').sql).toBe('(created_at, id) > (?::timestamptz, ?::uuid)');
  });

  it('refuses a cursor of another list under the name it was given', () => {
    expect(() => createdCursor(encodeCursor(['materials', '12']), '>', 'errorsCursor')).toThrow(
      /errorsCursor/,
    );
  });
});
