import { column } from './columns';
import type { TypedColumn } from './descriptor';

/** What materials, services and equipment (ST's SKUs) share. */

/** The typed columns every SKU (material, service, equipment) table starts with. */
export const skuColumns: readonly TypedColumn[] = [
  column('code', 'code', 'text'),
  column('display_name', 'displayName', 'text'),
  column('description', 'description', 'text'),
  column('price', 'price', 'money'),
  column('member_price', 'memberPrice', 'money'),
  column('add_on_price', 'addOnPrice', 'money'),
  column('add_on_member_price', 'addOnMemberPrice', 'money'),
  column('cost', 'cost', 'money'),
  column('active', 'active', 'boolean'),
];

/** What `search` looks in on a SKU: its code, its display name and its description. */
export const skuSearchColumns = ['code', 'display_name', 'description'] as const;

/** The prices a technician's tablet shows on a SKU; the push brake watches them. */
export const skuPriceFields = ['price', 'memberPrice', 'addOnPrice', 'addOnMemberPrice'] as const;

/** SKUs carry `externalData`, take `ids=`, ride in bulk bodies and have an export feed. */
export const skuCapabilities = {
  externalData: true,
  idsFilter: true,
  bulk: true,
  exportFeed: true,
  deletionShowsInactive: true,
} as const;
