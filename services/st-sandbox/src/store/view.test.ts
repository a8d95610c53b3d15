import { describe, expect, it } from 'vitest';
import { generatePricebook } from '../generator';
import { Tenant } from './tenant';
import { entities } from './types';
import { rowsJson, type ViewOptions, view } from './view';

describe('rowsJson', () => {
  const tenant = new Tenant('1', { clientId: 'c', clientSecret: 's', appKey: 'a' });
  generatePricebook(tenant, { items: 400, seed: 12, nowMs: Date.UTC(2025, 0, 1) });
  // Rename a category after services were filed under it: responses must show the new name.
  const category = tenant.stores.categories
    .live()
    .find((c) => c.data.categoryType === 'Services' && c.data.parentId);
  if (category) category.data = { ...category.data, name: 'Renamed "quoted" category' };

  const cases: ViewOptions[] = [
    { extraFields: true, shape: 'get' },
    { extraFields: false, shape: 'get' },
    { extraFields: true, shape: 'export' },
    { extraFields: true, shape: 'get', calculatePrices: true },
    { extraFields: true, shape: 'get', guid: '11111111-1111-1111-1111-111111111111' },
  ];

  for (const entity of entities) {
    it(`serialises ${entity} exactly as the per-record view does`, () => {
      const rows = [...tenant.anyStore(entity).all()];
      for (const options of cases) {
        const fast = JSON.parse(rowsJson(tenant, entity, rows, options));
        const slow = JSON.parse(JSON.stringify(rows.map((r) => view(tenant, entity, r, options))));
        expect(fast).toEqual(slow);
        expect(fast[0]?.sortOrder === undefined).toBe(!options.extraFields);
      }
    });
  }

  it('expands service categories and keeps calculatedPrice out of export rows', () => {
    const rows = [...tenant.stores.services.all()];
    const listed = JSON.parse(rowsJson(tenant, 'services', rows, { extraFields: true, shape: 'get' }));
    expect(listed[0].categories[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      active: true,
    });
    expect(listed[0]).toHaveProperty('calculatedPrice', null);
    expect(
      listed.some(
        (s: { categories: { name: string }[] }) => s.categories[0]?.name === 'Renamed "quoted" category',
      ),
    ).toBe(true);
    const exported = JSON.parse(rowsJson(tenant, 'services', rows, { extraFields: true, shape: 'export' }));
    expect(exported[0]).not.toHaveProperty('calculatedPrice');
  });
});
