import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { type EntityType, ST_DECIMAL_PRECISION, ST_DECIMAL_SCALE, syncStatuses } from '@pricebook/contracts';
import { searchDocumentSql } from './search-document';
import { embeddingDimensions, VectorType } from './vector-type';

const p = defineEntity.properties;

/** A ServiceTitan record in ST's own camelCase field names, as stored in `data` and `base`. */
export type StRecord = Record<string, unknown>;

export type { SyncStatus } from '@pricebook/contracts';
export { syncStatuses } from '@pricebook/contracts';

/**
 * Columns every pricebook table shares. `data` is the local truth; the typed columns are a
 * projection of it kept in step by the row trigger, so reports and filters can use SQL types.
 * The triggers maintain `version`, `updatedAt`, `syncStatus`, `localModifiedAt` and may rewrite
 * `data` or a typed column; MikroORM reads back only raw defaults after an INSERT and nothing after
 * an UPDATE, so call `em.refresh(entity)` when you need what the database decided.
 */
function rowProperties() {
  return {
    id: p
      .uuid()
      .primary()
      .defaultRaw('gen_random_uuid()')
      .onCreate(() => randomUUID()),
    tenantId: p.bigint('string'),
    stId: p.bigint('string').nullable(),
    data: p.json<StRecord>().defaultRaw(`'{}'`),
    base: p.json<StRecord>().nullable(),
    contentHash: p.text().nullable(),
    stModifiedOn: p.datetime().nullable(),
    localModifiedAt: p.datetime().nullable(),
    lastSyncedAt: p.datetime().nullable(),
    // A raw default (no runtime value) makes the ORM read back what the trigger chose on insert.
    syncStatus: p.enum([...syncStatuses]).defaultRaw(`'synced'`),
    hasConflict: p.boolean().default(false),
    deletedAt: p.datetime().nullable(),
    embedding: p.type(VectorType).columnType(`vector(${embeddingDimensions})`).nullable(),
    /** Identifies the text and model `embedding` was made from; written with it by the embedder only. */
    embeddingHash: p.text().nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  };
}

/** A money or quantity column: the precision the contracts' decimals are bounded by. */
const money = () => p.decimal('number').precision(ST_DECIMAL_PRECISION).scale(ST_DECIMAL_SCALE);

function skuPriceProperties() {
  return {
    code: p.text().nullable(),
    displayName: p.text().nullable(),
    description: p.text().nullable(),
    price: money().nullable(),
    memberPrice: money().nullable(),
    addOnPrice: money().nullable(),
    addOnMemberPrice: money().nullable(),
    cost: money().nullable(),
    active: p.boolean().nullable(),
    categoryIds: p.array<string>().columnType('bigint[]').nullable(),
  };
}

/** Indexes every pricebook table has; `code` is per tenant and deliberately not unique (ST allows duplicates). */
function rowIndexes<const K extends string>(
  entity: EntityType,
  table: string,
  extra: { name: string; properties: K[] }[] = [],
) {
  type Key = K | 'tenantId' | 'stId' | 'stModifiedOn';
  return {
    tableName: table,
    // jsonb_set in the row trigger needs an object; an array or scalar here is a bug upstream.
    checks: [{ name: `${table}_data_is_object`, expression: `jsonb_typeof("data") = 'object'` }],
    uniques: [{ name: `${table}_tenant_st_id_unique`, properties: ['tenantId', 'stId'] as Key[] }],
    indexes: [
      {
        name: `${table}_tenant_pending_idx`,
        expression: `create index "${table}_tenant_pending_idx" on "${table}" ("tenant_id", "sync_status") where "sync_status" <> 'synced'`,
      },
      { name: `${table}_tenant_st_modified_idx`, properties: ['tenantId', 'stModifiedOn'] as Key[] },
      // Search: nearest neighbours by cosine distance, and the full-text document of the row.
      {
        name: `${table}_embedding_hnsw_idx`,
        expression: `create index "${table}_embedding_hnsw_idx" on "${table}" using hnsw ("embedding" vector_cosine_ops)`,
      },
      {
        name: `${table}_search_idx`,
        expression: `create index "${table}_search_idx" on "${table}" using gin ((${searchDocumentSql(entity)}))`,
      },
      ...extra.map((i): { name: string; properties: Key[] } => ({ name: i.name, properties: i.properties })),
    ],
  };
}

export const PricebookCategory = defineEntity({
  name: 'PricebookCategory',
  ...rowIndexes('categories', 'pricebook_categories', [
    { name: 'pricebook_categories_tenant_name_idx', properties: ['tenantId', 'name'] },
  ]),
  properties: {
    ...rowProperties(),
    name: p.text().nullable(),
    active: p.boolean().nullable(),
    description: p.text().nullable(),
    parentId: p.bigint('string').nullable(),
    position: p.integer().nullable(),
    categoryType: p.text().nullable(),
  },
});
export type PricebookCategory = InferEntity<typeof PricebookCategory>;

export const PricebookMaterial = defineEntity({
  name: 'PricebookMaterial',
  ...rowIndexes('materials', 'pricebook_materials', [
    { name: 'pricebook_materials_tenant_code_idx', properties: ['tenantId', 'code'] },
  ]),
  properties: {
    ...rowProperties(),
    ...skuPriceProperties(),
    hours: money().nullable(),
    unitOfMeasure: p.text().nullable(),
    isInventory: p.boolean().nullable(),
    taxable: p.boolean().nullable(),
    primaryVendorId: p.bigint('string').nullable(),
  },
});
export type PricebookMaterial = InferEntity<typeof PricebookMaterial>;

export const PricebookService = defineEntity({
  name: 'PricebookService',
  ...rowIndexes('services', 'pricebook_services', [
    { name: 'pricebook_services_tenant_code_idx', properties: ['tenantId', 'code'] },
  ]),
  properties: {
    ...rowProperties(),
    ...skuPriceProperties(),
    hours: money().nullable(),
    taxable: p.boolean().nullable(),
    isLabor: p.boolean().nullable(),
  },
});
export type PricebookService = InferEntity<typeof PricebookService>;

export const PricebookEquipment = defineEntity({
  name: 'PricebookEquipment',
  ...rowIndexes('equipment', 'pricebook_equipment', [
    { name: 'pricebook_equipment_tenant_code_idx', properties: ['tenantId', 'code'] },
  ]),
  properties: {
    ...rowProperties(),
    ...skuPriceProperties(),
    manufacturer: p.text().nullable(),
    model: p.text().nullable(),
  },
});
export type PricebookEquipment = InferEntity<typeof PricebookEquipment>;

/** The row entity of every pricebook table; the registry's table names key them (see `index.ts`). */
export const pricebookRowEntities = [
  PricebookCategory,
  PricebookMaterial,
  PricebookService,
  PricebookEquipment,
];
