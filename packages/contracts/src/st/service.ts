import { z } from 'zod';
import { SafeText } from '../limits';
import {
  StExternalDataCreate,
  StExternalDataEntry,
  StExternalDataUpdate,
  StSkuAsset,
  StSkuAssetRequest,
  StSkuCategory,
  StSkuLink,
  StSkuLinkRequest,
  StSkuWarranty,
  StSkuWarrantyRequest,
} from './nested';
import { orNull, StDecimal, StId, StTimestamp } from './primitives';

/**
 * An ST service as list, get and export return it (CONTRACT.md §4.3, `ServiceGetResponse`).
 * `calculatedPrice`/`useStaticPrices` are only filled with `calculatePrices=true` and are
 * `null` otherwise (export rows and POST/PATCH responses never carry them). Unlike materials
 * and equipment, `categories` comes back as objects (`{ id, name, active }`).
 *
 * @example
 * const service = StService.parse(row);
 */
export const StService = z.looseObject({
  id: StId,
  code: z.string(),
  displayName: orNull(z.string()),
  description: z.string(),
  warranty: orNull(StSkuWarranty),
  categories: z.array(StSkuCategory),
  price: StDecimal,
  memberPrice: StDecimal,
  addOnPrice: StDecimal,
  addOnMemberPrice: StDecimal,
  taxable: z.boolean(),
  account: orNull(z.string()),
  hours: StDecimal,
  isLabor: orNull(z.boolean()),
  recommendations: z.array(StId),
  upgrades: z.array(StId),
  assets: z.array(StSkuAsset),
  serviceMaterials: z.array(StSkuLink),
  serviceEquipment: z.array(StSkuLink),
  active: z.boolean(),
  crossSaleGroup: orNull(z.string()),
  paysCommission: z.boolean(),
  bonus: StDecimal,
  commissionBonus: StDecimal,
  modifiedOn: StTimestamp,
  source: orNull(z.string()),
  externalId: orNull(z.string()),
  externalData: orNull(z.array(StExternalDataEntry)),
  businessUnitId: orNull(StId),
  cost: StDecimal,
  createdOn: StTimestamp,
  soldByCommission: StDecimal,
  defaultAssetUrl: orNull(z.string()),
  budgetCostCode: orNull(z.string()),
  budgetCostType: orNull(z.string()),
  calculatedPrice: orNull(StDecimal),
  useStaticPrices: orNull(z.boolean()),
});
export type StService = z.infer<typeof StService>;

/** Writable service fields in their request shapes (`categories` as ids). */
const serviceWritable = {
  code: SafeText.min(1),
  displayName: SafeText.nullable(),
  description: SafeText,
  warranty: StSkuWarrantyRequest.nullable(),
  categories: z.array(StId),
  price: StDecimal,
  memberPrice: StDecimal,
  addOnPrice: StDecimal,
  addOnMemberPrice: StDecimal,
  taxable: z.boolean(),
  account: SafeText.nullable(),
  intacctGlGroupAccount: SafeText.nullable(),
  hours: StDecimal,
  isLabor: z.boolean().nullable(),
  recommendations: z.array(StId),
  upgrades: z.array(StId),
  assets: z.array(StSkuAssetRequest),
  serviceMaterials: z.array(StSkuLinkRequest),
  serviceEquipment: z.array(StSkuLinkRequest),
  active: z.boolean(),
  crossSaleGroup: SafeText.nullable(),
  paysCommission: z.boolean(),
  bonus: StDecimal,
  commissionBonus: StDecimal,
  budgetCostCode: SafeText.nullable(),
  budgetCostType: SafeText.nullable(),
};

/**
 * Body of `POST /services`: `code` and `description` required. `cost` and `soldByCommission`
 * are read-only on services.
 *
 * @example
 * StServiceCreate.parse({ code: 'SVC-1', description: 'Tune-up', price: 89 });
 */
export const StServiceCreate = z
  .strictObject(serviceWritable)
  .extend({ externalData: StExternalDataCreate.nullable() })
  .partial()
  .required({ code: true, description: true });
export type StServiceCreate = z.infer<typeof StServiceCreate>;

/** Body of `PATCH /services/{id}`: every field optional, read-only fields refused. */
export const StServiceUpdate = z
  .strictObject(serviceWritable)
  .extend({ externalData: StExternalDataUpdate.nullable() })
  .partial();
export type StServiceUpdate = z.infer<typeof StServiceUpdate>;
