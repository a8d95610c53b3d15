import type { EntityType } from '@pricebook/contracts';
import { type FieldV1, fieldsV1 } from './migrations/sql/fields-v1';

/** A typed column of a pricebook table and the `data` path it mirrors. */
export type TypedColumn = FieldV1;

/**
 * The typed columns of each pricebook table, as the current triggers maintain them. Bulk writers
 * may set only `data` and let the trigger fill these, or set both consistently.
 */
export const typedColumns = fieldsV1 as Record<EntityType, readonly TypedColumn[]>;
