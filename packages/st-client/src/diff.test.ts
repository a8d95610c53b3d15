import { StBulkUpdate, stRecordSchemas, stUpdateSchemas } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { changedFields, stRecordToBulkUpdate, stRecordToUpdate } from './diff';
import { rawMaterial } from './test-support';

describe('stRecordToUpdate', () => {
  it('maps response shapes to request shapes and drops read-only fields', () => {
    const record = stRecordSchemas.materials.parse(rawMaterial(1));
    const update = stRecordToUpdate('materials', record);
    expect(update).not.toHaveProperty('id');
    expect(update).not.toHaveProperty('modifiedOn');
    expect(update).not.toHaveProperty('isOtherDirectCost');
    expect(update).not.toHaveProperty('externalData');
    expect(update.primaryVendor).toEqual({
      vendorId: 50,
      memo: null,
      vendorPart: 'P1',
      cost: 1.5,
      active: true,
      primarySubAccount: { cost: 1.5, accountName: 'Main' },
      otherSubAccounts: [],
    });
    expect(update.assets).toEqual([{ alias: null, isDefault: true, type: 'Image', url: 'Images/f.png' }]);
    // The result is a valid PATCH body.
    expect(stUpdateSchemas.materials.safeParse(update).success).toBe(true);
  });

  it('turns service categories into ids', () => {
    const update = stRecordToUpdate('services', { categories: [{ id: 4, name: 'A', active: true }] });
    expect(update).toEqual({ categories: [4] });
  });
});

describe('changedFields', () => {
  it('returns only the writable fields that differ', () => {
    const before = stRecordSchemas.materials.parse(rawMaterial(1));
    const after = { ...before, price: 11, modifiedOn: '2030-01-01T00:00:00.0000000Z', categories: [1, 2] };
    expect(changedFields('materials', before, after)).toEqual({ price: 11 });
  });

  it('sees nested changes and ignores key order', () => {
    const before = stRecordSchemas.materials.parse(rawMaterial(1));
    const vendor = before.primaryVendor;
    if (!vendor) throw new Error('fixture has a vendor');
    const reordered = Object.fromEntries(Object.entries(vendor).reverse());
    expect(changedFields('materials', before, { ...before, primaryVendor: reordered })).toEqual({});
    const changed = changedFields('materials', before, { ...before, primaryVendor: { ...vendor, cost: 2 } });
    expect(Object.keys(changed)).toEqual(['primaryVendor']);
  });

  it('treats a cleared value as a change and an absent one as none', () => {
    const before = stRecordSchemas.materials.parse(rawMaterial(1));
    expect(changedFields('materials', before, { displayName: null })).toEqual({ displayName: null });
    expect(changedFields('materials', before, {})).toEqual({});
  });
});

describe('stRecordToBulkUpdate', () => {
  it('gives every writable field plus the id, write-only ones as null', () => {
    const record = stRecordSchemas.materials.parse(rawMaterial(8));
    const item = stRecordToBulkUpdate('materials', record);
    expect(item.id).toBe(8);
    expect(item.intacctGlGroupAccount).toBeNull();
    expect(item.variationMaterials).toBeNull();
    expect(item).not.toHaveProperty('externalData');
    expect(StBulkUpdate.safeParse({ materials: [item] }).success).toBe(true);
  });
});
