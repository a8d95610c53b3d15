import { z } from 'zod';
import { categories } from './categories';
import type { EntityDescriptor } from './descriptor';
import { equipment } from './equipment';
import { materials } from './materials';
import { services } from './services';

export {
  type CategoryFilter,
  describeEntity,
  type EntityCapabilities,
  type EntityDescriptor,
  type SameCreate,
  type TypedColumn,
  type TypedColumnKind,
} from './descriptor';
export { volatileServiceFields } from './services';

/**
 * The entity registry: one descriptor per pricebook entity type, in the order a full sync
 * processes them (categories first: SKUs refer to them). Adding an entity type is adding its
 * descriptor here.
 */
const descriptors = [categories, materials, services, equipment] as const;

type Descriptors = (typeof descriptors)[number];
type TypesOf<T extends readonly unknown[]> = {
  readonly [K in keyof T]: T[K] extends { type: infer X } ? X : never;
};

/** The pricebook entity types the engine syncs, in the order a full sync processes them. */
export const entityTypes = descriptors.map((d) => d.type) as unknown as TypesOf<typeof descriptors>;
export const EntityType = z.enum(entityTypes);
export type EntityType = z.infer<typeof EntityType>;

/** The descriptor of entity type `E`, with its exact schema and capability types. */
export type EntityDescriptorOf<E extends EntityType> = Extract<Descriptors, { type: E }>;

/** Each entity type's descriptor. */
export const entityRegistry = Object.fromEntries(descriptors.map((d) => [d.type, d])) as {
  readonly [E in EntityType]: EntityDescriptorOf<E>;
};

/**
 * The descriptor of an entity type.
 *
 * @example
 * entityDescriptor('materials').capabilities.idsFilter; // true
 */
export function entityDescriptor<E extends EntityType>(entity: E): EntityDescriptorOf<E> & EntityDescriptor {
  return entityRegistry[entity];
}

/**
 * A per-entity map derived from the descriptors.
 *
 * @example
 * const tables = mapEntities((d) => d.table); // { categories: 'pricebook_categories', … }
 */
export function mapEntities<V>(
  fn: (descriptor: EntityDescriptor, entity: EntityType) => V,
): Record<EntityType, V> {
  return Object.fromEntries(entityTypes.map((e) => [e, fn(entityRegistry[e], e)])) as Record<EntityType, V>;
}

/** Entity types whose capability `C` is `true` (e.g. the ones bulk bodies carry). */
export type EntityTypeWith<C extends keyof EntityDescriptor['capabilities']> = {
  [E in EntityType]: EntityDescriptorOf<E>['capabilities'][C] extends true ? E : never;
}[EntityType];

/**
 * Whether entity type `entity` has capability `C`, narrowing it for the compiler.
 *
 * @example
 * if (hasCapability(entity, 'externalData')) await st.findByExternalData(entity, lookup);
 */
export function hasCapability<C extends keyof EntityDescriptor['capabilities']>(
  entity: EntityType,
  capability: C,
): entity is EntityTypeWith<C> {
  return entityRegistry[entity].capabilities[capability];
}

/** Local table of each entity type (names from the original specification). */
export const entityTables: Readonly<Record<EntityType, string>> = mapEntities((d) => d.table);

// The tenant id lived beside the entity types before the registry; importers keep this path.
export { TenantId, TenantStatus, tenantStatuses } from '../tenant';
