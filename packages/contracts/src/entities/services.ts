import { StService, StServiceCreate, StServiceUpdate } from '../st/service';
import { column } from './columns';
import { describeEntity } from './descriptor';
import { skuCapabilities, skuColumns, skuPriceFields, skuSearchColumns } from './sku';

/**
 * Service fields ServiceTitan computes on services only: `cost` is derived from the linked
 * materials and equipment here, while it is a writable field on materials and equipment.
 */
export const volatileServiceFields: readonly string[] = ['cost'];

/** Pricebook services: their `categories` come back as `{ id, name, active }` objects. */
export const services = describeEntity({
  type: 'services',
  table: 'pricebook_services',
  st: {
    record: StService,
    create: StServiceCreate,
    update: StServiceUpdate,
    path: 'services',
    exportPath: 'export/services',
  },
  columns: [
    ...skuColumns,
    column('hours', 'hours', 'money'),
    column('taxable', 'taxable', 'boolean'),
    column('is_labor', 'isLabor', 'boolean'),
    // ST returns service categories as {id, name, active} objects; the column keeps their ids.
    column('category_ids', 'categories', 'idObjects'),
  ],
  searchColumns: skuSearchColumns,
  categoryFilter: { column: 'category_ids', many: true },
  capabilities: skuCapabilities,
  volatileFields: volatileServiceFields,
  priceFields: skuPriceFields,
});
