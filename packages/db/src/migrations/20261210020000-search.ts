import { Migration } from '@mikro-orm/migrations';
import { fieldsV1, tablesV1 } from './sql/fields-v1';
import { rowTriggerFunctionSqlV3 } from './sql/row-trigger-v3';
import { rowTriggerFunctionSqlV4 } from './sql/row-trigger-v4';

/**
 * Search: per pricebook table, the hash of the text its embedding was made from, an HNSW index
 * on the embedding (cosine distance) and a GIN index on the full-text document of the row; and
 * the write origin `embedding`, with which the embedder changes a row's vector and nothing else.
 * An HNSW index on a large table takes a while to build; see docs/search.md.
 */
export class Migration20261210020000_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "pricebook_categories" add column "embedding_hash" text null;`);
    this.addSql(
      `create index "pricebook_categories_embedding_hnsw_idx" on "pricebook_categories" using hnsw ("embedding" vector_cosine_ops);`,
    );
    this.addSql(
      `create index "pricebook_categories_search_idx" on "pricebook_categories" using gin ((to_tsvector('english'::regconfig, coalesce("name", '') || ' ' || coalesce("description", ''))));`,
    );

    this.addSql(`alter table "pricebook_equipment" add column "embedding_hash" text null;`);
    this.addSql(
      `create index "pricebook_equipment_embedding_hnsw_idx" on "pricebook_equipment" using hnsw ("embedding" vector_cosine_ops);`,
    );
    this.addSql(
      `create index "pricebook_equipment_search_idx" on "pricebook_equipment" using gin ((to_tsvector('english'::regconfig, coalesce("code", '') || ' ' || coalesce("display_name", '') || ' ' || coalesce("description", ''))));`,
    );

    this.addSql(`alter table "pricebook_materials" add column "embedding_hash" text null;`);
    this.addSql(
      `create index "pricebook_materials_embedding_hnsw_idx" on "pricebook_materials" using hnsw ("embedding" vector_cosine_ops);`,
    );
    this.addSql(
      `create index "pricebook_materials_search_idx" on "pricebook_materials" using gin ((to_tsvector('english'::regconfig, coalesce("code", '') || ' ' || coalesce("display_name", '') || ' ' || coalesce("description", ''))));`,
    );

    this.addSql(`alter table "pricebook_services" add column "embedding_hash" text null;`);
    this.addSql(
      `create index "pricebook_services_embedding_hnsw_idx" on "pricebook_services" using hnsw ("embedding" vector_cosine_ops);`,
    );
    this.addSql(
      `create index "pricebook_services_search_idx" on "pricebook_services" using gin ((to_tsvector('english'::regconfig, coalesce("code", '') || ' ' || coalesce("display_name", '') || ' ' || coalesce("description", ''))));`,
    );

    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSqlV4(table, fieldsV1[entity] ?? []));
    }
  }

  override async down(): Promise<void> {
    for (const [entity, table] of Object.entries(tablesV1)) {
      this.addSql(rowTriggerFunctionSqlV3(table, fieldsV1[entity] ?? []));
    }
    this.addSql(`drop index "pricebook_categories_embedding_hnsw_idx";`);
    this.addSql(`drop index "pricebook_categories_search_idx";`);
    this.addSql(`alter table "pricebook_categories" drop column "embedding_hash";`);

    this.addSql(`drop index "pricebook_equipment_embedding_hnsw_idx";`);
    this.addSql(`drop index "pricebook_equipment_search_idx";`);
    this.addSql(`alter table "pricebook_equipment" drop column "embedding_hash";`);

    this.addSql(`drop index "pricebook_materials_embedding_hnsw_idx";`);
    this.addSql(`drop index "pricebook_materials_search_idx";`);
    this.addSql(`alter table "pricebook_materials" drop column "embedding_hash";`);

    this.addSql(`drop index "pricebook_services_embedding_hnsw_idx";`);
    this.addSql(`drop index "pricebook_services_search_idx";`);
    this.addSql(`alter table "pricebook_services" drop column "embedding_hash";`);
  }
}
