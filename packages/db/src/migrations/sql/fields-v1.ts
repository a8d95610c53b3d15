/**
 * The typed columns of each pricebook table and the `data` key each mirrors, as of the v1
 * triggers. Frozen with the migration that uses it: a later change to the columns ships a new
 * migration with its own copy, so replaying history always builds the same triggers.
 */
export type FieldKindV1 = 'text' | 'boolean' | 'integer' | 'bigint' | 'money' | 'ids' | 'idObjects';

export interface FieldV1 {
  column: string;
  /** Top-level key in `data`, or a path for a read-only column derived from a nested value. */
  path: readonly string[];
  kind: FieldKindV1;
  /** Derived from `data` only: a write that sets it to anything else is refused. */
  readOnly?: boolean;
}

const f = (column: string, key: string, kind: FieldKindV1): FieldV1 => ({ column, path: [key], kind });

const skuFields: FieldV1[] = [
  f('code', 'code', 'text'),
  f('display_name', 'displayName', 'text'),
  f('description', 'description', 'text'),
  f('price', 'price', 'money'),
  f('member_price', 'memberPrice', 'money'),
  f('add_on_price', 'addOnPrice', 'money'),
  f('add_on_member_price', 'addOnMemberPrice', 'money'),
  f('cost', 'cost', 'money'),
  f('active', 'active', 'boolean'),
];

export const fieldsV1: Record<string, FieldV1[]> = {
  categories: [
    f('name', 'name', 'text'),
    f('active', 'active', 'boolean'),
    f('description', 'description', 'text'),
    f('parent_id', 'parentId', 'bigint'),
    f('position', 'position', 'integer'),
    f('category_type', 'categoryType', 'text'),
  ],
  materials: [
    ...skuFields,
    f('hours', 'hours', 'money'),
    f('unit_of_measure', 'unitOfMeasure', 'text'),
    f('is_inventory', 'isInventory', 'boolean'),
    f('taxable', 'taxable', 'boolean'),
    f('category_ids', 'categories', 'ids'),
    { column: 'primary_vendor_id', path: ['primaryVendor', 'vendorId'], kind: 'bigint', readOnly: true },
  ],
  services: [
    ...skuFields,
    f('hours', 'hours', 'money'),
    f('taxable', 'taxable', 'boolean'),
    f('is_labor', 'isLabor', 'boolean'),
    // ST returns service categories as {id, name, active} objects; the column keeps their ids.
    f('category_ids', 'categories', 'idObjects'),
  ],
  equipment: [
    ...skuFields,
    f('manufacturer', 'manufacturer', 'text'),
    f('model', 'model', 'text'),
    f('category_ids', 'categories', 'ids'),
  ],
};

export const tablesV1: Record<string, string> = {
  categories: 'pricebook_categories',
  materials: 'pricebook_materials',
  services: 'pricebook_services',
  equipment: 'pricebook_equipment',
};
