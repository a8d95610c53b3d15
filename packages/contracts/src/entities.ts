import { z } from 'zod';

/** The pricebook entity types the engine syncs, in the order a full sync processes them. */
export const entityTypes = ['categories', 'materials', 'services', 'equipment'] as const;
export const EntityType = z.enum(entityTypes);
export type EntityType = z.infer<typeof EntityType>;

/** Local table of each entity type (names from the original specification). */
export const entityTables = {
  categories: 'pricebook_categories',
  materials: 'pricebook_materials',
  services: 'pricebook_services',
  equipment: 'pricebook_equipment',
} as const satisfies Record<EntityType, string>;

/** A ServiceTitan tenant id: int64, carried as a decimal string so it never loses digits. */
export const TenantId = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .pipe(z.string().regex(/^[1-9][0-9]{0,18}$/, 'tenant id must be a positive integer'));
export type TenantId = z.infer<typeof TenantId>;
