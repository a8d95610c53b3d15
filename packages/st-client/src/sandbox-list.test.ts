import { stContentHash } from '@pricebook/contracts';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectList, duplicates, entityTypes, parseSandboxItem, sandboxClient } from './test-support';

describe('listing a 20,000-item tenant from the sandbox', () => {
  let sb: StartedSandbox;

  beforeAll(async () => {
    sb = await startSandbox({ items: 20_000, seed: 11 });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it.each(entityTypes)('returns every %s exactly once, equal to the sandbox state', async (entity) => {
    const client = sandboxClient(sb);
    const { records, pages } = await collectList(client, entity);
    const raw = await sb.control.items(entity);

    expect(pages.flatMap((p) => p.invalid)).toEqual([]);
    expect(duplicates(records.map((r) => r.id))).toEqual([]);
    expect(records.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      raw.map((r) => r.id).sort((a, b) => a - b),
    );
    // Inactive items are part of it (active=Any).
    expect(records.some((r) => !r.active)).toBe(raw.some((r) => !r.active));

    const expected = new Map(
      raw.map((item) => [item.id, stContentHash(entity, parseSandboxItem(entity, item))]),
    );
    const mismatched = records
      .filter((r) => stContentHash(entity, r) !== expected.get(r.id))
      .map((r) => r.id);
    expect(mismatched).toEqual([]);
    expect(pages.at(-1)?.hasMore).toBe(false);
  });

  it('sums to the tenant size across the four entities', async () => {
    const client = sandboxClient(sb);
    let total = 0;
    for (const entity of entityTypes) total += (await collectList(client, entity)).records.length;
    const [tenant] = await sb.control.tenants();
    const counts = tenant?.counts ?? { categories: 0, materials: 0, services: 0, equipment: 0 };
    expect(total).toBe(counts.categories + counts.materials + counts.services + counts.equipment);
    // The generator aims at 20,000 and deletes a few in its made-up history.
    expect(total).toBeGreaterThan(19_500);
  });
});
