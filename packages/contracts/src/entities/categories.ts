import { StCategory, StCategoryCreate, StCategoryUpdate } from '../st/category';
import { column } from './columns';
import { describeEntity } from './descriptor';

/**
 * Pricebook categories: no `externalData`, no `ids` filter and no bulk body in ST's API, so a
 * create is recognised again by name, parent and type, and items are read by id one by one.
 */
export const categories = describeEntity({
  type: 'categories',
  table: 'pricebook_categories',
  st: {
    record: StCategory,
    create: StCategoryCreate,
    update: StCategoryUpdate,
    path: 'categories',
    exportPath: 'export/categories',
  },
  columns: [
    column('name', 'name', 'text'),
    column('active', 'active', 'boolean'),
    column('description', 'description', 'text'),
    column('parent_id', 'parentId', 'bigint'),
    column('position', 'position', 'integer'),
    column('category_type', 'categoryType', 'text'),
  ],
  searchColumns: ['name', 'description'],
  categoryFilter: { column: 'parent_id', many: false },
  capabilities: {
    externalData: false,
    idsFilter: false,
    bulk: false,
    exportFeed: true,
    deletionShowsInactive: true,
  },
  volatileFields: [],
  priceFields: [],
  sameCreate: (item, local) =>
    item.name === local.name &&
    (item.parentId ?? null) === (local.parentId ?? null) &&
    (local.categoryType === undefined || item.categoryType === local.categoryType),
});
