import { z } from 'zod';
import { SafeText } from '../limits';
import {
  StExternalDataCreate,
  StExternalDataEntry,
  StExternalDataUpdate,
  StSkuAsset,
  StSkuAssetRequest,
  StSkuVendor,
  StSkuVendorRequest,
} from './nested';
import { orNull, StDecimal, StId, StTimestamp } from './primitives';

/** The amounts and flags a material record and its requests type alike. */
const materialAmounts = {
  cost: StDecimal,
  active: z.boolean(),
  price: StDecimal,
  memberPrice: StDecimal,
  addOnPrice: StDecimal,
  addOnMemberPrice: StDecimal,
  hours: StDecimal,
  bonus: StDecimal,
  commissionBonus: StDecimal,
  paysCommission: z.boolean(),
  deductAsJobCost: z.boolean(),
};

/**
 * An ST material as list, get and export return it (CONTRACT.md §4.2). Unknown top-level
 * fields are kept (see `records.ts`).
 *
 * @example
 * const material = StMaterial.parse(row);
 */
export const StMaterial = z.looseObject({
  id: StId,
  code: z.string(),
  displayName: orNull(z.string()),
  description: z.string(),
  ...materialAmounts,
  unitOfMeasure: orNull(z.string()),
  isInventory: z.boolean(),
  account: orNull(z.string()),
  costOfSaleAccount: orNull(z.string()),
  assetAccount: orNull(z.string()),
  taxable: orNull(z.boolean()),
  primaryVendor: orNull(StSkuVendor),
  otherVendors: orNull(z.array(StSkuVendor)),
  categories: z.array(StId),
  assets: z.array(StSkuAsset),
  modifiedOn: StTimestamp,
  source: orNull(z.string()),
  externalId: orNull(z.string()),
  externalData: orNull(z.array(StExternalDataEntry)),
  isConfigurableMaterial: z.boolean(),
  chargeableByDefault: z.boolean(),
  variationsOrConfigurableMaterials: orNull(z.array(StId)),
  businessUnitId: orNull(StId),
  createdById: StId,
  createdOn: StTimestamp,
  displayInAmount: z.boolean(),
  generalLedgerAccountId: orNull(StId),
  isOtherDirectCost: z.boolean(),
  costTypeId: orNull(StId),
  defaultAssetUrl: orNull(z.string()),
  budgetCostCode: orNull(z.string()),
  budgetCostType: orNull(z.string()),
});
export type StMaterial = z.infer<typeof StMaterial>;

/** Writable material fields in their request shapes; `null` where the record field may be null. */
const materialWritable = {
  code: SafeText.min(1),
  displayName: SafeText.nullable(),
  description: SafeText,
  ...materialAmounts,
  unitOfMeasure: SafeText.nullable(),
  isInventory: z.boolean(),
  account: SafeText.nullable(),
  costOfSaleAccount: SafeText.nullable(),
  assetAccount: SafeText.nullable(),
  intacctGlGroupAccount: SafeText.nullable(),
  taxable: z.boolean().nullable(),
  primaryVendor: StSkuVendorRequest.nullable(),
  otherVendors: z.array(StSkuVendorRequest).nullable(),
  assets: z.array(StSkuAssetRequest),
  categories: z.array(StId),
  isConfigurableMaterial: z.boolean(),
  chargeableByDefault: z.boolean(),
  variationMaterials: z.array(StId).nullable(),
  costTypeId: StId.nullable(),
  budgetCostCode: SafeText.nullable(),
  budgetCostType: SafeText.nullable(),
};

/**
 * Body of `POST /materials`: `code` and `description` required. `isOtherDirectCost` can only
 * be set here (PATCH has no such field).
 *
 * @example
 * StMaterialCreate.parse({ code: 'PIPE-1', description: '1" copper pipe', price: 12.5 });
 */
export const StMaterialCreate = z
  .strictObject(materialWritable)
  .extend({ externalData: StExternalDataCreate.nullable(), isOtherDirectCost: z.boolean().nullable() })
  .partial()
  .required({ code: true, description: true });
export type StMaterialCreate = z.infer<typeof StMaterialCreate>;

/** Body of `PATCH /materials/{id}`: every field optional, read-only fields refused. */
export const StMaterialUpdate = z
  .strictObject(materialWritable)
  .extend({ externalData: StExternalDataUpdate.nullable() })
  .partial();
export type StMaterialUpdate = z.infer<typeof StMaterialUpdate>;
