import { describe, expect, it } from 'vitest';
import { entityStatsTable } from './format';

describe('entityStatsTable', () => {
  it('lists the entities in the order a sync processes them, whatever order the stats came in', () => {
    const out = entityStatsTable({
      equipment: { fetched: 1 },
      services: { fetched: 2 },
      materials: { fetched: 3 },
      categories: { fetched: 4 },
    });
    const first = out.split('\n').map((line) => line.split(/\s+/)[0]);
    expect(first).toEqual(['ENTITY', 'categories', 'materials', 'services', 'equipment']);
  });
});
