import { z } from 'zod';
import { SafeText } from '../limits';
import { orNull, StDecimal, StId, StInt32 } from './primitives';

/**
 * Value objects nested in ST pricebook records (CONTRACT.md §4.5). Nested objects strip
 * unknown keys: only top-level records keep them (see `records.ts`).
 */

export const StCategoryType = z.enum(['Services', 'Materials']);
export type StCategoryType = z.infer<typeof StCategoryType>;

export const StSkuAssetType = z.enum(['Other', 'Image', 'Video', 'Attachment', 'VideoFile']);
export type StSkuAssetType = z.infer<typeof StSkuAssetType>;

export const StEquipmentRecommendationType = z.enum(['Service', 'Material']);
export type StEquipmentRecommendationType = z.infer<typeof StEquipmentRecommendationType>;

export const StExternalDataPatchMode = z.enum(['Replace', 'Merge']);
export type StExternalDataPatchMode = z.infer<typeof StExternalDataPatchMode>;

export const StActiveFilter = z.enum(['True', 'Any', 'False']);
export type StActiveFilter = z.infer<typeof StActiveFilter>;

export const StSkuCategory = z.object({ id: StId, name: z.string(), active: z.boolean() });
export type StSkuCategory = z.infer<typeof StSkuCategory>;

export const StSkuAsset = z.object({
  alias: orNull(z.string()),
  fileName: orNull(z.string()),
  isDefault: z.boolean(),
  type: StSkuAssetType,
  url: z.string(),
});
export type StSkuAsset = z.infer<typeof StSkuAsset>;

export const StSkuAssetRequest = z.strictObject({
  type: StSkuAssetType,
  alias: SafeText.nullable().optional(),
  url: SafeText,
  isDefault: z.boolean().nullable().optional(),
});
export type StSkuAssetRequest = z.infer<typeof StSkuAssetRequest>;

export const StSkuWarranty = z.object({ duration: StInt32, description: orNull(z.string()) });
export type StSkuWarranty = z.infer<typeof StSkuWarranty>;

export const StSkuWarrantyRequest = z.strictObject({
  duration: StInt32,
  description: SafeText.nullable().optional(),
});
export type StSkuWarrantyRequest = z.infer<typeof StSkuWarrantyRequest>;

export const StSkuLink = z.object({ skuId: StId, quantity: StDecimal });
export type StSkuLink = z.infer<typeof StSkuLink>;

export const StSkuLinkRequest = z.strictObject({ skuId: StId, quantity: StDecimal });
export type StSkuLinkRequest = z.infer<typeof StSkuLinkRequest>;

export const StSkuVendorSubAccount = z.object({ id: StId, cost: StDecimal, accountName: z.string() });
export type StSkuVendorSubAccount = z.infer<typeof StSkuVendorSubAccount>;

export const StSkuVendorSubAccountRequest = z.strictObject({ cost: StDecimal, accountName: SafeText });
export type StSkuVendorSubAccountRequest = z.infer<typeof StSkuVendorSubAccountRequest>;

export const StSkuVendor = z.object({
  id: StId,
  vendorName: z.string(),
  vendorId: StId,
  memo: orNull(z.string()),
  vendorPart: orNull(z.string()),
  cost: StDecimal,
  active: z.boolean(),
  primarySubAccount: orNull(StSkuVendorSubAccount),
  otherSubAccounts: orNull(z.array(StSkuVendorSubAccount)),
});
export type StSkuVendor = z.infer<typeof StSkuVendor>;

export const StSkuVendorRequest = z.strictObject({
  vendorId: StId,
  memo: SafeText.nullable().optional(),
  vendorPart: SafeText.nullable().optional(),
  cost: StDecimal,
  active: z.boolean(),
  primarySubAccount: StSkuVendorSubAccountRequest.nullable().optional(),
  otherSubAccounts: z.array(StSkuVendorSubAccountRequest).nullable().optional(),
});
export type StSkuVendorRequest = z.infer<typeof StSkuVendorRequest>;

export const StEquipmentRecommendation = z.object({ skuId: StId, type: StEquipmentRecommendationType });
export type StEquipmentRecommendation = z.infer<typeof StEquipmentRecommendation>;

export const StEquipmentRecommendationRequest = z.strictObject({
  skuId: StId,
  type: StEquipmentRecommendationType,
});
export type StEquipmentRecommendationRequest = z.infer<typeof StEquipmentRecommendationRequest>;

export const StDimensions = z.object({
  height: orNull(StDecimal),
  width: orNull(StDecimal),
  depth: orNull(StDecimal),
});
export type StDimensions = z.infer<typeof StDimensions>;

export const StDimensionsRequest = z.strictObject({
  height: StDecimal.nullable().optional(),
  width: StDecimal.nullable().optional(),
  depth: StDecimal.nullable().optional(),
});
export type StDimensionsRequest = z.infer<typeof StDimensionsRequest>;

/** One external-data entry as responses return it (only the caller's application's entries). */
export const StExternalDataEntry = z.object({ key: z.string(), value: z.string() });
export type StExternalDataEntry = z.infer<typeof StExternalDataEntry>;

/** A GUID in its usual 8-4-4-4-12 hex form (ST application guids). */
export const StGuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
export type StGuid = z.infer<typeof StGuid>;

/**
 * External data sent with a create: entries tagged with the caller's application guid. Items
 * created with a guid can later be found with `externalDataApplicationGuid` + key/values.
 *
 * @example
 * StExternalDataCreate.parse({ applicationGuid: GUID, externalData: [{ key: 'localId', value: 'a1' }] });
 */
export const StExternalDataCreate = z.strictObject({
  applicationGuid: StGuid,
  externalData: z.array(z.strictObject({ key: SafeText.min(1), value: SafeText })),
});
export type StExternalDataCreate = z.infer<typeof StExternalDataCreate>;

/**
 * External data sent with a PATCH. `Replace` (ST's default) drops the keys not sent; `Merge`
 * replaces only the keys sent, and a key with a `null` value is deleted.
 */
export const StExternalDataUpdate = z.strictObject({
  patchMode: StExternalDataPatchMode.nullable().optional(),
  applicationGuid: StGuid,
  externalData: z.array(z.strictObject({ key: SafeText.min(1), value: SafeText.nullable().optional() })),
});
export type StExternalDataUpdate = z.infer<typeof StExternalDataUpdate>;
