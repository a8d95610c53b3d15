import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectList, sandboxClient } from './test-support';

describe('a record that breaks the contract', () => {
  let sb: StartedSandbox;
  let badIds: number[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ items: 2000, seed: 13 });
    const materials = await sb.control.items('materials');
    const [a, b] = [materials[10], materials[500]];
    if (!a || !b) throw new Error('tenant has materials');
    badIds = [a.id, b.id];
    // Written with no validation: the API then serves records that break the contract.
    await sb.control.corruptItem('materials', a.id, { price: 'free' });
    await sb.control.corruptItem('materials', b.id, { code: null, modifiedOn: 'last tuesday' });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('is reported with a reason while the rest of its page is delivered (list)', async () => {
    const client = sandboxClient(sb);
    const { records, pages } = await collectList(client, 'materials');
    const invalid = pages.flatMap((p) => p.invalid);
    const raw = await sb.control.items('materials');

    expect(invalid.map((i) => i.id).sort()).toEqual([...badIds].sort());
    const [first, second] = badIds.map((id) => invalid.find((i) => i.id === id));
    expect(first?.reason).toMatch(/^price: /);
    expect(first?.raw).toMatchObject({ id: badIds[0], price: 'free' });
    expect(second?.reason).toContain('code');
    expect(second?.reason).toContain('modifiedOn');
    expect(records).toHaveLength(raw.length - 2);
    expect(records.some((r) => badIds.includes(r.id))).toBe(false);
    expect(client.stats().invalidRecords).toBe(2);
  });

  it('is reported in the export feed too', async () => {
    const client = sandboxClient(sb);
    const invalid: (number | undefined)[] = [];
    let delivered = 0;
    for await (const page of client.export('materials', { includeRecentChanges: true })) {
      invalid.push(...page.invalid.map((i) => i.id));
      delivered += page.records.length;
    }
    expect([...new Set(invalid)].sort()).toEqual([...badIds].sort());
    expect(delivered).toBeGreaterThan(0);
  });

  it('is handed back as invalid by a read by ids, never thrown and never reported missing', async () => {
    const client = sandboxClient(sb);
    const [category] = await sb.control.items('categories');
    if (!category) throw new Error('tenant has categories');
    await sb.control.corruptItem('categories', category.id, { name: 42 });
    // Categories have no ids filter and are read one by one: the same rule as a list page.
    const categories = await client.listByIds('categories', [category.id]);
    expect(categories.records).toEqual([]);
    expect(categories.invalid.map((i) => i.id)).toEqual([category.id]);
    expect(categories.missing).toEqual([]);
    const materials = await client.listByIds('materials', badIds);
    expect(materials.invalid.map((i) => i.id).sort()).toEqual([...badIds].sort());
    expect(materials.missing).toEqual([]);
  });

  it('fails a get of that record as bad_message', async () => {
    const client = sandboxClient(sb);
    await expect(client.get('materials', badIds[0] ?? 0)).rejects.toMatchObject({
      code: 'bad_message',
      retry: false,
    });
  });
});
