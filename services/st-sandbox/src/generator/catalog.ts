// Catalog data for the generator. Templates use `{a|b|c}` for "pick one", expanded per item.

export interface MaterialTemplate {
  name: string;
  unit: string;
  cost: readonly [number, number];
  vendors: readonly number[];
}

export interface EquipmentTemplate {
  name: string;
  manufacturers: readonly string[];
  cost: readonly [number, number];
  warrantyYears: readonly number[];
  /** Height, width, depth ranges in inches. */
  size: readonly [number, number];
}

export interface ServiceTemplate {
  name: string;
  hours: readonly [number, number];
}

/** A service category: what its services are called and which parts and equipment they use. */
export interface ServiceArea {
  templates: readonly ServiceTemplate[];
  materials: readonly string[];
  equipment: readonly string[];
  flatPrice?: readonly [number, number];
}

export const blurbs = [
  'Includes labor and standard warranty.',
  'Performed by a licensed technician to manufacturer specifications.',
  'Price includes haul-away of old parts where applicable.',
  'Our most popular option for homeowners.',
  'Code-compliant installation with permit where required.',
];

export const businessUnits = { HVAC: 3001, Plumbing: 3002, Electrical: 3003, Membership: 3004 } as const;
export const userIds = [5_000_101, 5_000_102, 5_000_103, 5_000_104];

export { materialCatalog } from './catalog-materials';
export { equipmentCatalog, serviceCatalog } from './catalog-services';
