import { describe, expect, it } from 'vitest';
import { entityTypes } from '../entities';
import { rawCategory, rawEquipment, rawMaterial, rawService } from '../test-support';
import { StBulkCreate, StBulkUpdate } from './bulk';
import {
  canonicalJson,
  stContentHash,
  stCreateSchemas,
  stRecordFields,
  stRecordSchemas,
  stUpdateSchemas,
  stWritableFields,
} from './records';

const raw = {
  categories: rawCategory,
  materials: rawMaterial,
  services: rawService,
  equipment: rawEquipment,
};

describe('stRecordSchemas', () => {
  it('covers every entity type', () => {
    expect(Object.keys(stRecordSchemas).sort()).toEqual([...entityTypes].sort());
    expect(Object.keys(stCreateSchemas).sort()).toEqual([...entityTypes].sort());
    expect(Object.keys(stUpdateSchemas).sort()).toEqual([...entityTypes].sort());
  });

  it.each(entityTypes)('parses a full %s row and knows every field of it', (entity) => {
    const row = raw[entity];
    const parsed = stRecordSchemas[entity].parse(row);
    expect(Object.keys(row).filter((k) => !stRecordFields[entity].includes(k))).toEqual([]);
    expect(parsed.id).toBe(row.id);
  });

  it.each(entityTypes)('keeps unknown top-level %s fields but leaves them out of the hash', (entity) => {
    const parsed = stRecordSchemas[entity].parse({ ...raw[entity], addedIn2027: { x: 1 } });
    expect(parsed).toHaveProperty('addedIn2027', { x: 1 });
    expect(stContentHash(entity, parsed)).toBe(
      stContentHash(entity, stRecordSchemas[entity].parse(raw[entity])),
    );
  });

  it.each(entityTypes)('reports a %s row missing a required field', (entity) => {
    const { id: _id, ...rest } = raw[entity];
    const result = stRecordSchemas[entity].safeParse(rest);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['id']);
  });

  it('turns absent nullable fields into null', () => {
    const { displayName: _d, externalData: _e, ...rest } = rawMaterial;
    const parsed = stRecordSchemas.materials.parse(rest);
    expect(parsed.displayName).toBeNull();
    expect(parsed.externalData).toBeNull();
  });

  it('normalises timestamps and decimals inside records', () => {
    const parsed = stRecordSchemas.materials.parse({
      ...rawMaterial,
      price: 12.34565,
      cost: -0,
      primaryVendor: { ...rawMaterial.primaryVendor, cost: '4.250' },
    });
    expect(parsed.modifiedOn).toBe('2024-01-02T03:04:05.1200000Z');
    expect(parsed.price).toBe(12.3457);
    expect(Object.is(parsed.cost, -0)).toBe(false);
    expect(parsed.primaryVendor?.cost).toBe(4.25);
  });

  it('parses nested subcategories with the category schema', () => {
    const parsed = stRecordSchemas.categories.parse({
      ...rawCategory,
      subcategories: [{ ...rawCategory, id: 11, parentId: 10, createdOn: undefined, modifiedOn: undefined }],
    });
    expect(parsed.subcategories?.[0]?.modifiedOn).toBeNull();
    expect(parsed.subcategories?.[0]?.parentId).toBe(10);
  });

  it('rejects a bad enum value with its path', () => {
    const result = stRecordSchemas.equipment.safeParse({
      ...rawEquipment,
      recommendations: [{ skuId: 1, type: 'Gadget' }],
    });
    expect(result.error?.issues[0]?.path).toEqual(['recommendations', 0, 'type']);
  });
});

describe('stContentHash', () => {
  it('is stable across key order and timestamp/decimal spellings', () => {
    const a = stRecordSchemas.materials.parse(rawMaterial);
    const reordered = Object.fromEntries(Object.entries(rawMaterial).reverse());
    const b = stRecordSchemas.materials.parse({
      ...reordered,
      modifiedOn: '2024-01-02T03:04:05.1200000Z',
      price: '12.50',
    });
    expect(stContentHash('materials', b)).toBe(stContentHash('materials', a));
  });

  it('changes when a known field changes and can ignore chosen fields', () => {
    const a = stRecordSchemas.materials.parse(rawMaterial);
    const b = stRecordSchemas.materials.parse({ ...rawMaterial, price: 12.51 });
    const c = stRecordSchemas.materials.parse({ ...rawMaterial, modifiedOn: '2025-01-01T00:00:00Z' });
    expect(stContentHash('materials', b)).not.toBe(stContentHash('materials', a));
    expect(stContentHash('materials', c)).not.toBe(stContentHash('materials', a));
    expect(stContentHash('materials', c, { exclude: ['modifiedOn'] })).toBe(
      stContentHash('materials', a, { exclude: ['modifiedOn'] }),
    );
  });

  it('canonicalJson sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }], u: undefined })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe('create and update schemas', () => {
  it('require the create fields of the contract', () => {
    expect(stCreateSchemas.categories.safeParse({ name: 'x' }).success).toBe(false);
    expect(stCreateSchemas.categories.safeParse({ name: 'x', categoryType: 'Materials' }).success).toBe(true);
    for (const entity of ['materials', 'services', 'equipment'] as const) {
      expect(stCreateSchemas[entity].safeParse({ code: 'C' }).success).toBe(false);
      expect(stCreateSchemas[entity].safeParse({ code: 'C', description: '' }).success).toBe(true);
    }
  });

  it('accept an empty PATCH and refuse read-only fields', () => {
    for (const entity of entityTypes) {
      expect(stUpdateSchemas[entity].safeParse({}).success).toBe(true);
      for (const readOnly of ['id', 'createdOn', 'modifiedOn', 'source', 'externalId']) {
        expect(stWritableFields[entity]).not.toContain(readOnly);
        expect(stUpdateSchemas[entity].safeParse({ [readOnly]: 1 }).success).toBe(false);
      }
    }
    expect(stWritableFields.materials).not.toContain('isOtherDirectCost');
    expect(stWritableFields.services).not.toContain('cost');
    expect(stWritableFields.services).not.toContain('soldByCommission');
    expect(stWritableFields.equipment).toContain('cost');
  });

  it('take external data in the request shapes', () => {
    const applicationGuid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const create = stCreateSchemas.materials.parse({
      code: 'C',
      description: 'd',
      externalData: { applicationGuid, externalData: [{ key: 'localId', value: 'a1' }] },
    });
    expect(create.externalData?.applicationGuid).toBe(applicationGuid);
    const update = stUpdateSchemas.services.safeParse({
      externalData: { patchMode: 'Merge', applicationGuid, externalData: [{ key: 'old', value: null }] },
    });
    expect(update.success).toBe(true);
    expect(
      stUpdateSchemas.services.safeParse({ externalData: [{ key: 'localId', value: 'a1' }] }).success,
    ).toBe(false);
  });
});

describe('bulk schemas', () => {
  it('accept links by skuId or customId but not both or neither', () => {
    const service = (link: Record<string, unknown>) => ({
      services: [{ code: 'S', description: 'd', customId: 's1', serviceMaterials: [link] }],
    });
    expect(StBulkCreate.safeParse(service({ customId: 'm1', quantity: 1 })).success).toBe(true);
    expect(StBulkCreate.safeParse(service({ skuId: 5, quantity: 1 })).success).toBe(true);
    expect(StBulkCreate.safeParse(service({ skuId: 5, customId: 'm1', quantity: 1 })).success).toBe(false);
    expect(StBulkCreate.safeParse(service({ quantity: 1 })).success).toBe(false);
  });

  it('require an id on every bulk update item', () => {
    expect(StBulkUpdate.safeParse({ materials: [{ price: 1 }] }).success).toBe(false);
    expect(StBulkUpdate.safeParse({ materials: [{ id: 1, price: 1 }] }).success).toBe(true);
  });
});
