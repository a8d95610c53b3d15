import { describe, expect, expectTypeOf, it } from 'vitest';
import { priceFields } from '../push-impact';
import { StBulkCreate, StBulkUpdate } from '../st/bulk';
import { StCategory, StCategoryCreate, StCategoryUpdate } from '../st/category';
import { StEquipment, StEquipmentCreate, StEquipmentUpdate } from '../st/equipment';
import { StMaterial, StMaterialCreate, StMaterialUpdate } from '../st/material';
import { stCreateSchemas, stRecordSchemas, stUpdateSchemas } from '../st/records';
import { StService, StServiceCreate, StServiceUpdate } from '../st/service';
import {
  EntityType,
  type EntityTypeWith,
  entityRegistry,
  entityTables,
  entityTypes,
  hasCapability,
  mapEntities,
  TenantId,
} from './index';

describe('the entity registry', () => {
  it('has one descriptor per entity type, keyed by its own type, in full-sync order', () => {
    expect(entityTypes).toEqual(['categories', 'materials', 'services', 'equipment']);
    expect(Object.keys(entityRegistry)).toEqual([...entityTypes]);
    for (const entity of entityTypes) expect(entityRegistry[entity].type).toBe(entity);
    expect(EntityType.options).toEqual([...entityTypes]);
    // Re-exported for the importers of the former `entities.ts`.
    expect(TenantId.parse(1001)).toBe('1001');
  });

  it('derives the maps it replaced, value for value', () => {
    expect(entityTables).toEqual({
      categories: 'pricebook_categories',
      materials: 'pricebook_materials',
      services: 'pricebook_services',
      equipment: 'pricebook_equipment',
    });
    expect(stRecordSchemas).toEqual({
      categories: StCategory,
      materials: StMaterial,
      services: StService,
      equipment: StEquipment,
    });
    expect(stCreateSchemas).toEqual({
      categories: StCategoryCreate,
      materials: StMaterialCreate,
      services: StServiceCreate,
      equipment: StEquipmentCreate,
    });
    expect(stUpdateSchemas).toEqual({
      categories: StCategoryUpdate,
      materials: StMaterialUpdate,
      services: StServiceUpdate,
      equipment: StEquipmentUpdate,
    });
    for (const entity of entityTypes) {
      expect(stRecordSchemas[entity]).toBe(entityRegistry[entity].st.record);
    }
    expect(mapEntities((d) => d.searchColumns)).toEqual({
      categories: ['name', 'description'],
      materials: ['code', 'display_name', 'description'],
      services: ['code', 'display_name', 'description'],
      equipment: ['code', 'display_name', 'description'],
    });
    expect(mapEntities((d) => d.categoryFilter)).toEqual({
      categories: { column: 'parent_id', many: false },
      materials: { column: 'category_ids', many: true },
      services: { column: 'category_ids', many: true },
      equipment: { column: 'category_ids', many: true },
    });
    expect(mapEntities((d) => d.volatileFields)).toEqual({
      categories: [],
      materials: [],
      services: ['cost'],
      equipment: [],
    });
  });

  it('states the capabilities the engine used to branch on by name', () => {
    expect(mapEntities((d) => d.capabilities)).toEqual({
      categories: {
        externalData: false,
        idsFilter: false,
        bulk: false,
        exportFeed: true,
        deletionShowsInactive: true,
      },
      materials: {
        externalData: true,
        idsFilter: true,
        bulk: true,
        exportFeed: true,
        deletionShowsInactive: true,
      },
      services: {
        externalData: true,
        idsFilter: true,
        bulk: true,
        exportFeed: true,
        deletionShowsInactive: true,
      },
      equipment: {
        externalData: true,
        idsFilter: true,
        bulk: true,
        exportFeed: true,
        deletionShowsInactive: true,
      },
    });
    expect(entityTypes.filter((e) => hasCapability(e, 'bulk'))).toEqual([
      'materials',
      'services',
      'equipment',
    ]);
    // A bulk-capable entity must have its key in ST's bulk bodies, and only those have one.
    const bulk = entityTypes.filter((e) => hasCapability(e, 'bulk')).sort();
    expect(Object.keys(StBulkUpdate.shape).sort()).toEqual(bulk);
    expect(Object.keys(StBulkCreate.shape).sort()).toEqual(bulk);
    // The compiler sees the same: code typed for bulk entities refuses categories.
    expectTypeOf<EntityTypeWith<'bulk'>>().toEqualTypeOf<'materials' | 'services' | 'equipment'>();
    expectTypeOf<EntityTypeWith<'externalData'>>().toEqualTypeOf<'materials' | 'services' | 'equipment'>();
    expectTypeOf<EntityTypeWith<'exportFeed'>>().toEqualTypeOf<EntityType>();
    expect(entityTypes.filter((e) => hasCapability(e, 'externalData'))).toEqual([
      'materials',
      'services',
      'equipment',
    ]);
  });

  it.each(entityTypes)('%s: every column mirrors a field its record schema knows', (entity) => {
    const d = entityRegistry[entity];
    const known = Object.keys(d.st.record.shape);
    for (const c of d.columns) expect(known, `${entity}.${c.column}`).toContain(c.path[0]);
    for (const c of d.searchColumns) expect(d.columns.map((x) => x.column)).toContain(c);
    expect(d.columns.map((x) => x.column)).toContain(d.categoryFilter.column);
    for (const f of d.priceFields) expect(priceFields as readonly string[]).toContain(f);
    expect(d.st.path).toBe(entity);
    expect(d.st.exportPath).toBe(`export/${entity}`);
    // An entity without externalData needs another way to find an earlier create again.
    expect(d.capabilities.externalData || typeof d.sameCreate === 'function').toBe(true);
  });

  it('recognises an earlier category create by name, parent and (when given) type', () => {
    const same = entityRegistry.categories.sameCreate;
    const item = { id: 7, name: 'Pumps', parentId: null, categoryType: 'Materials' };
    expect(same?.(item, { name: 'Pumps' })).toBe(true);
    expect(same?.(item, { name: 'Pumps', parentId: null, categoryType: 'Materials' })).toBe(true);
    expect(same?.(item, { name: 'Pumps', categoryType: 'Services' })).toBe(false);
    expect(same?.(item, { name: 'Pumps', parentId: 3 })).toBe(false);
    expect(same?.(item, { name: 'Valves' })).toBe(false);
  });
});
