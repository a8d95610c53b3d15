import { z } from 'zod';
import { SafeText } from '../limits';
import {
  StDimensions,
  StDimensionsRequest,
  StEquipmentRecommendation,
  StEquipmentRecommendationRequest,
  StExternalDataCreate,
  StExternalDataEntry,
  StExternalDataUpdate,
  StSkuAsset,
  StSkuAssetRequest,
  StSkuLink,
  StSkuLinkRequest,
  StSkuVendor,
  StSkuVendorRequest,
  StSkuWarranty,
  StSkuWarrantyRequest,
} from './nested';
import { orNull, StDecimal, StId, StTimestamp } from './primitives';

// The fields an equipment record and its requests type alike.
const equipmentPrices = {
  price: StDecimal,
  memberPrice: StDecimal,
  addOnPrice: StDecimal,
  addOnMemberPrice: StDecimal,
};
const equipmentCosts = {
  paysCommission: z.boolean(),
  bonus: StDecimal,
  commissionBonus: StDecimal,
  hours: StDecimal,
  taxable: z.boolean(),
  cost: StDecimal,
};

/**
 * An ST equipment item as list, get and export return it (CONTRACT.md §4.4). Unknown
 * top-level fields are kept (see `records.ts`).
 *
 * @example
 * const equipment = StEquipment.parse(row);
 */
export const StEquipment = z.looseObject({
  id: StId,
  code: z.string(),
  displayName: orNull(z.string()),
  description: z.string(),
  active: z.boolean(),
  ...equipmentPrices,
  manufacturer: orNull(z.string()),
  model: orNull(z.string()),
  manufacturerWarranty: StSkuWarranty,
  serviceProviderWarranty: StSkuWarranty,
  categories: z.array(StId),
  assets: z.array(StSkuAsset),
  recommendations: z.array(StEquipmentRecommendation),
  upgrades: z.array(StId),
  equipmentMaterials: z.array(StSkuLink),
  primaryVendor: orNull(StSkuVendor),
  otherVendors: orNull(z.array(StSkuVendor)),
  account: orNull(z.string()),
  costOfSaleAccount: orNull(z.string()),
  assetAccount: orNull(z.string()),
  crossSaleGroup: orNull(z.string()),
  ...equipmentCosts,
  unitOfMeasure: orNull(z.string()),
  isInventory: z.boolean(),
  modifiedOn: StTimestamp,
  source: orNull(z.string()),
  externalId: orNull(z.string()),
  externalData: orNull(z.array(StExternalDataEntry)),
  isConfigurableEquipment: z.boolean(),
  variationsOrConfigurableEquipment: orNull(z.array(StId)),
  typeId: orNull(StId),
  displayInAmount: z.boolean(),
  generalLedgerAccountId: orNull(StId),
  createdOn: StTimestamp,
  defaultAssetUrl: orNull(z.string()),
  dimensions: orNull(StDimensions),
  budgetCostCode: orNull(z.string()),
  budgetCostType: orNull(z.string()),
});
export type StEquipment = z.infer<typeof StEquipment>;

/** Writable equipment fields in their request shapes. */
const equipmentWritable = {
  code: SafeText.min(1),
  displayName: SafeText.nullable(),
  description: SafeText,
  ...equipmentPrices,
  active: z.boolean(),
  manufacturer: SafeText.nullable(),
  model: SafeText.nullable(),
  manufacturerWarranty: StSkuWarrantyRequest,
  serviceProviderWarranty: StSkuWarrantyRequest,
  assets: z.array(StSkuAssetRequest),
  recommendations: z.array(StEquipmentRecommendationRequest),
  upgrades: z.array(StId),
  equipmentMaterials: z.array(StSkuLinkRequest),
  categories: z.array(StId),
  primaryVendor: StSkuVendorRequest.nullable(),
  otherVendors: z.array(StSkuVendorRequest).nullable(),
  account: SafeText.nullable(),
  costOfSaleAccount: SafeText.nullable(),
  assetAccount: SafeText.nullable(),
  intacctGlGroupAccount: SafeText.nullable(),
  crossSaleGroup: SafeText.nullable(),
  ...equipmentCosts,
  unitOfMeasure: SafeText.nullable(),
  isInventory: z.boolean(),
  isConfigurableEquipment: z.boolean(),
  variationEquipment: z.array(StId).nullable(),
  dimensions: StDimensionsRequest.nullable(),
  budgetCostCode: SafeText.nullable(),
  budgetCostType: SafeText.nullable(),
};

/**
 * Body of `POST /equipment`: `code` and `description` required.
 *
 * @example
 * StEquipmentCreate.parse({ code: 'AC-3T', description: '3 ton condenser', price: 4200 });
 */
export const StEquipmentCreate = z
  .strictObject(equipmentWritable)
  .extend({ externalData: StExternalDataCreate.nullable() })
  .partial()
  .required({ code: true, description: true });
export type StEquipmentCreate = z.infer<typeof StEquipmentCreate>;

/** Body of `PATCH /equipment/{id}`: every field optional, read-only fields refused. */
export const StEquipmentUpdate = z
  .strictObject(equipmentWritable)
  .extend({ externalData: StExternalDataUpdate.nullable() })
  .partial();
export type StEquipmentUpdate = z.infer<typeof StEquipmentUpdate>;
