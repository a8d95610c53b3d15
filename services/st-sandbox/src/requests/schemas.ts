import { z } from 'zod';
import type { Entity } from '../store/types';

// Request shapes from the contract (§4). Unknown keys are stripped, as ASP.NET ignores them;
// read-only fields (id, createdOn, modifiedOn, source, …) are therefore ignored too.

const int64 = z.number().int();
const int32 = z.number().int().min(-2147483648).max(2147483647);
const decimal = z.number();
const text = z.string();
const bool = z.boolean();
export const guid = z
  .string()
  .regex(/^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i);

const subAccount = z.object({ cost: decimal, accountName: text });
export const vendorRequest = z.object({
  vendorId: int64,
  memo: text.nullish(),
  vendorPart: text.nullish(),
  cost: decimal,
  active: bool,
  primarySubAccount: subAccount.nullish(),
  otherSubAccounts: z.array(subAccount).nullish(),
});
export type VendorRequest = z.infer<typeof vendorRequest>;
export const assetRequest = z.object({
  type: z.enum(['Other', 'Image', 'Video', 'Attachment', 'VideoFile']),
  alias: text.nullish(),
  url: text,
  isDefault: bool.nullish(),
});
export type AssetRequest = z.infer<typeof assetRequest>;
export const warrantyRequest = z.object({ duration: int32, description: text.nullish() });
export type WarrantyRequest = z.infer<typeof warrantyRequest>;
const linkRequest = z.object({ skuId: int64, quantity: decimal });
const equipmentRecommendation = z.object({ skuId: int64, type: z.enum(['Service', 'Material']) });
const dimensionsRequest = z.object({
  height: decimal.nullish(),
  width: decimal.nullish(),
  depth: decimal.nullish(),
});
export type DimensionsRequest = z.infer<typeof dimensionsRequest>;

export const externalDataCreate = z.object({
  applicationGuid: guid,
  externalData: z.array(z.object({ key: text, value: text })),
});
export const externalDataUpdate = z.object({
  patchMode: z.enum(['Replace', 'Merge']).nullish(),
  applicationGuid: guid,
  externalData: z.array(z.object({ key: text, value: text.nullish() })),
});
export type ExternalDataCreate = z.infer<typeof externalDataCreate>;
export type ExternalDataUpdate = z.infer<typeof externalDataUpdate>;

// Bulk create may point links at items of the same batch by customId.
const ref = { skuId: int64.nullish(), customId: text.nullish() };
const bulkLink = z.object({ ...ref, quantity: decimal });
const bulkRef = z.object(ref);
const bulkEquipmentRecommendation = z.object({ ...ref, type: z.enum(['Service', 'Material']) });

interface FieldSpec {
  schema: z.ZodType;
  /** Nullable in responses: null clears it on update. */
  nullable?: boolean;
  create?: 'required' | 'optional' | 'absent';
  /** False when PATCH does not accept the field (e.g. isOtherDirectCost). */
  update?: boolean;
  /** Not in the bulk-update `required` list of the spec. */
  bulkOptional?: boolean;
}

const req = (schema: z.ZodType): FieldSpec => ({ schema, create: 'required' });
const opt = (schema: z.ZodType): FieldSpec => ({ schema });
const nul = (schema: z.ZodType): FieldSpec => ({ schema, nullable: true });

const prices = {
  price: opt(decimal),
  memberPrice: opt(decimal),
  addOnPrice: opt(decimal),
  addOnMemberPrice: opt(decimal),
};
const commission = { paysCommission: opt(bool), bonus: opt(decimal), commissionBonus: opt(decimal) };
const budget = { budgetCostCode: nul(text), budgetCostType: nul(text) };
const skuCommon = {
  code: req(text),
  displayName: nul(text),
  description: req(text),
  ...prices,
  ...commission,
  ...budget,
  active: opt(bool),
  hours: opt(decimal),
  account: nul(text),
  intacctGlGroupAccount: nul(text),
  assets: opt(z.array(assetRequest)),
  categories: opt(z.array(int64)),
};
const vendors = { primaryVendor: nul(vendorRequest), otherVendors: nul(z.array(vendorRequest)) };
const accounts = { costOfSaleAccount: nul(text), assetAccount: nul(text) };

export const fieldSpecs: Record<Entity, Record<string, FieldSpec>> = {
  categories: {
    name: req(text),
    active: opt(bool),
    description: nul(text),
    parentId: nul(int64),
    position: opt(int32),
    image: nul(text),
    categoryType: req(z.enum(['Services', 'Materials'])),
    businessUnitIds: nul(z.array(int64)),
    skuImages: nul(z.array(text)),
    skuVideos: nul(z.array(text)),
  },
  materials: {
    ...skuCommon,
    ...vendors,
    ...accounts,
    cost: opt(decimal),
    deductAsJobCost: opt(bool),
    unitOfMeasure: nul(text),
    isInventory: opt(bool),
    taxable: nul(bool),
    isConfigurableMaterial: opt(bool),
    chargeableByDefault: opt(bool),
    variationMaterials: nul(z.array(int64)),
    isOtherDirectCost: { schema: bool, update: false },
    costTypeId: { schema: int64, nullable: true, bulkOptional: true },
  },
  services: {
    ...skuCommon,
    warranty: nul(warrantyRequest),
    taxable: opt(bool),
    isLabor: nul(bool),
    recommendations: opt(z.array(int64)),
    upgrades: opt(z.array(int64)),
    serviceMaterials: opt(z.array(linkRequest)),
    serviceEquipment: opt(z.array(linkRequest)),
    crossSaleGroup: nul(text),
  },
  equipment: {
    ...skuCommon,
    ...vendors,
    ...accounts,
    manufacturer: nul(text),
    model: nul(text),
    manufacturerWarranty: opt(warrantyRequest),
    serviceProviderWarranty: opt(warrantyRequest),
    recommendations: opt(z.array(equipmentRecommendation)),
    upgrades: opt(z.array(int64)),
    equipmentMaterials: opt(z.array(linkRequest)),
    crossSaleGroup: nul(text),
    taxable: opt(bool),
    cost: opt(decimal),
    unitOfMeasure: nul(text),
    isInventory: opt(bool),
    isConfigurableEquipment: opt(bool),
    variationEquipment: nul(z.array(int64)),
    dimensions: nul(dimensionsRequest),
  },
};

const bulkLinkFields: Partial<Record<Entity, Record<string, z.ZodType>>> = {
  services: {
    serviceMaterials: z.array(bulkLink),
    serviceEquipment: z.array(bulkLink),
    recommendations: z.array(bulkRef),
    upgrades: z.array(bulkRef),
  },
  equipment: {
    equipmentMaterials: z.array(bulkLink),
    recommendations: z.array(bulkEquipmentRecommendation),
    upgrades: z.array(bulkRef),
  },
};

export type Mode = 'create' | 'update' | 'bulkCreate' | 'bulkUpdate';

function buildSchema(entity: Entity, mode: Mode): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  const creating = mode === 'create' || mode === 'bulkCreate';
  for (const [name, spec] of Object.entries(fieldSpecs[entity])) {
    const base = (mode === 'bulkCreate' && bulkLinkFields[entity]?.[name]) || spec.schema;
    if (creating) {
      if (spec.create === 'absent') continue;
      shape[name] = spec.create === 'required' ? base : base.nullish();
    } else {
      if (spec.update === false) continue;
      // The spec lists every bulk-update field as required: presence is enforced, and null is
      // allowed wherever a response may hold null, so a full object read back can be resent.
      if (mode === 'bulkUpdate' && !spec.bulkOptional) shape[name] = spec.nullable ? base.nullable() : base;
      else shape[name] = spec.nullable ? base.nullish() : base.optional();
    }
  }
  if (entity !== 'categories') {
    shape.externalData = (creating ? externalDataCreate : externalDataUpdate).nullish();
  }
  if (mode === 'bulkCreate') shape.customId = text.nullish();
  if (mode === 'bulkUpdate') shape.id = int64;
  return z.object(shape);
}

const cache = new Map<string, z.ZodObject>();

/** The zod schema for one entity's request body in one mode. */
export function requestSchema(entity: Entity, mode: Mode): z.ZodObject {
  const key = `${entity}:${mode}`;
  let schema = cache.get(key);
  if (!schema) {
    schema = buildSchema(entity, mode);
    cache.set(key, schema);
  }
  return schema;
}

/** A parsed request body: field name → value, only the fields that were sent. */
export type RequestFields = Record<string, unknown>;
