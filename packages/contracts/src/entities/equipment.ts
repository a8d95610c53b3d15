import { StEquipment, StEquipmentCreate, StEquipmentUpdate } from '../st/equipment';
import { column } from './columns';
import { describeEntity } from './descriptor';
import { skuCapabilities, skuColumns, skuPriceFields, skuSearchColumns } from './sku';

/** Pricebook equipment. */
export const equipment = describeEntity({
  type: 'equipment',
  table: 'pricebook_equipment',
  st: {
    record: StEquipment,
    create: StEquipmentCreate,
    update: StEquipmentUpdate,
    path: 'equipment',
    exportPath: 'export/equipment',
  },
  columns: [
    ...skuColumns,
    column('manufacturer', 'manufacturer', 'text'),
    column('model', 'model', 'text'),
    column('category_ids', 'categories', 'ids'),
  ],
  searchColumns: skuSearchColumns,
  categoryFilter: { column: 'category_ids', many: true },
  capabilities: skuCapabilities,
  volatileFields: [],
  priceFields: skuPriceFields,
});
