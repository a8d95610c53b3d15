import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { fetchSync } from './fetch-sync';
import { drainPipeline, fetchDeps, startWorld, syncCommand } from './test-support';

const world = forFile(() => startWorld({ items: 20, seed: 3 }));

describe('a to_st sync', () => {
  it('reads nothing from ServiceTitan and fences each requested entity empty, in order', async () => {
    await world.sb.control.resetStats();
    const command = syncCommand(world, { direction: 'to_st', entityTypes: ['services', 'categories'] });
    await fetchSync(fetchDeps(world), command, new AbortController().signal);
    const { observed, decided, fences } = await drainPipeline(world);
    expect(observed).toHaveLength(0);
    expect(decided).toHaveLength(0);
    expect(fences.map((f) => f.data)).toEqual([
      { syncLogId: command.data.syncLogId, entity: 'categories', published: 0, errors: 0 },
      { syncLogId: command.data.syncLogId, entity: 'services', published: 0, errors: 0 },
    ]);
    expect((await world.sb.control.stats()).totalRequests).toBe(0);
  });
});
