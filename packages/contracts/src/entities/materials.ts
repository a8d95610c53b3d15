import { StMaterial, StMaterialCreate, StMaterialUpdate } from '../st/material';
import { column } from './columns';
import { describeEntity } from './descriptor';
import { skuCapabilities, skuColumns, skuPriceFields, skuSearchColumns } from './sku';

/** Pricebook materials. */
export const materials = describeEntity({
  type: 'materials',
  table: 'pricebook_materials',
  st: {
    record: StMaterial,
    create: StMaterialCreate,
    update: StMaterialUpdate,
    path: 'materials',
    exportPath: 'export/materials',
  },
  columns: [
    ...skuColumns,
    column('hours', 'hours', 'money'),
    column('unit_of_measure', 'unitOfMeasure', 'text'),
    column('is_inventory', 'isInventory', 'boolean'),
    column('taxable', 'taxable', 'boolean'),
    column('category_ids', 'categories', 'ids'),
    { column: 'primary_vendor_id', path: ['primaryVendor', 'vendorId'], kind: 'bigint', readOnly: true },
  ],
  searchColumns: skuSearchColumns,
  categoryFilter: { column: 'category_ids', many: true },
  capabilities: skuCapabilities,
  volatileFields: [],
  priceFields: skuPriceFields,
});
