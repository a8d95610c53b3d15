import { type EntityProperty, Type } from '@mikro-orm/core';
import { fromSql, toSql } from 'pgvector';

/** Dimensions of the embedding column; the width of OpenAI's text-embedding-3-small. */
export const embeddingDimensions = 1536;

/**
 * pgvector's `vector(n)` as a `number[]`. Written here instead of using `pgvector/mikro-orm`
 * because that module loads `@mikro-orm/core` through its own CommonJS resolution, which
 * pnpm's strict layout does not provide, and its types are `any`.
 */
export class VectorType extends Type<number[] | null, string | null> {
  override convertToDatabaseValue(value: number[] | null): string | null {
    return value === null || value === undefined ? null : (toSql(value) as string);
  }

  override convertToJSValue(value: string | null): number[] | null {
    return value === null || value === undefined ? null : (fromSql(value) as number[]);
  }

  override getColumnType(prop: EntityProperty): string {
    return `vector(${prop.length ?? embeddingDimensions})`;
  }

  override compareAsType(): string {
    return 'string';
  }
}
