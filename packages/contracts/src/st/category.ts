import { z } from 'zod';
import { SafeText } from '../limits';
import { StCategoryType } from './nested';
import { orNull, StId, StInt32, StTimestamp } from './primitives';

/**
 * An ST pricebook category as list, get and export return it (CONTRACT.md §4.1).
 * `createdOn`/`modifiedOn` joined the spec in 2026, so older builds may omit them: they are
 * `null` then. Unknown top-level fields are kept (see `records.ts`).
 *
 * @example
 * const category = StCategory.parse(await response.json());
 */
export const StCategory = z.looseObject({
  id: StId,
  name: z.string(),
  active: z.boolean(),
  description: orNull(z.string()),
  image: orNull(z.string()),
  parentId: orNull(StId),
  position: StInt32,
  categoryType: StCategoryType,
  // Annotated: inference of a recursive getter breaks once zod's types are augmented
  // (zod-to-openapi, as the API loads it).
  get subcategories(): z.ZodDefault<z.ZodNullable<z.ZodArray<typeof StCategory>>> {
    return orNull(z.array(StCategory));
  },
  businessUnitIds: orNull(z.array(StId)),
  skuImages: orNull(z.array(z.string())),
  skuVideos: orNull(z.array(z.string())),
  source: orNull(z.string()),
  externalId: orNull(z.string()),
  hideInMobile: z.boolean(),
  createdOn: orNull(StTimestamp),
  modifiedOn: orNull(StTimestamp),
});
export type StCategory = z.infer<typeof StCategory>;

/** Body of `POST /categories`. */
export const StCategoryCreate = z.strictObject({
  name: SafeText.min(1),
  active: z.boolean().nullable().optional(),
  description: SafeText.nullable().optional(),
  parentId: StId.nullable().optional(),
  position: StInt32.nullable().optional(),
  image: SafeText.nullable().optional(),
  categoryType: StCategoryType,
  businessUnitIds: z.array(StId).nullable().optional(),
  skuImages: z.array(SafeText).nullable().optional(),
  skuVideos: z.array(SafeText).nullable().optional(),
});
export type StCategoryCreate = z.infer<typeof StCategoryCreate>;

/**
 * Body of `PATCH /categories/{id}`: every field optional, read-only fields refused. `null` is
 * accepted where the record field itself may be `null`, so a cleared value can be sent.
 */
export const StCategoryUpdate = z.strictObject({
  name: SafeText.min(1).optional(),
  active: z.boolean().optional(),
  description: SafeText.nullable().optional(),
  parentId: StId.nullable().optional(),
  position: StInt32.optional(),
  image: SafeText.nullable().optional(),
  categoryType: StCategoryType.optional(),
  businessUnitIds: z.array(StId).nullable().optional(),
  skuImages: z.array(SafeText).nullable().optional(),
  skuVideos: z.array(SafeText).nullable().optional(),
});
export type StCategoryUpdate = z.infer<typeof StCategoryUpdate>;
