import { z } from 'zod';
import { SafeText } from '../limits';
import { StEquipmentCreate, StEquipmentUpdate } from './equipment';
import { StMaterialCreate, StMaterialUpdate } from './material';
import { StEquipmentRecommendationType } from './nested';
import { StDecimal, StId } from './primitives';
import { StServiceCreate, StServiceUpdate } from './service';

/**
 * Shapes of the bulk endpoint `POST|PATCH /pricebook` (CONTRACT.md §6). Categories cannot be
 * bulk-written; discounts and fees are outside the engine's scope and are not modelled.
 */

/** A batch-local reference: `customId` names another item of the same bulk create. */
export const StCustomId = SafeText.min(1).max(200);
export type StCustomId = z.infer<typeof StCustomId>;

const oneReference = (value: { skuId?: number | null; customId?: string | null }) =>
  (value.skuId != null) !== (value.customId != null);
const oneReferenceMessage = { message: 'exactly one of skuId and customId is required' };

/** A link to an existing item (`skuId`) or to one created in the same batch (`customId`). */
export const StSkuLinkBulkCreate = z
  .strictObject({
    skuId: StId.nullable().optional(),
    customId: StCustomId.nullable().optional(),
    quantity: StDecimal,
  })
  .refine(oneReference, oneReferenceMessage);
export type StSkuLinkBulkCreate = z.infer<typeof StSkuLinkBulkCreate>;

export const StSkuReferenceBulkCreate = z
  .strictObject({ skuId: StId.nullable().optional(), customId: StCustomId.nullable().optional() })
  .refine(oneReference, oneReferenceMessage);
export type StSkuReferenceBulkCreate = z.infer<typeof StSkuReferenceBulkCreate>;

export const StEquipmentRecommendationBulkCreate = z
  .strictObject({
    skuId: StId.nullable().optional(),
    customId: StCustomId.nullable().optional(),
    type: StEquipmentRecommendationType,
  })
  .refine(oneReference, oneReferenceMessage);
export type StEquipmentRecommendationBulkCreate = z.infer<typeof StEquipmentRecommendationBulkCreate>;

/** A material in a bulk create: the single-create fields plus an optional `customId`. */
export const StMaterialBulkCreate = StMaterialCreate.extend({ customId: StCustomId.nullable().optional() });
export type StMaterialBulkCreate = z.infer<typeof StMaterialBulkCreate>;

/** A service in a bulk create; its links may name batch items by `customId`. */
export const StServiceBulkCreate = StServiceCreate.extend({
  customId: StCustomId.nullable().optional(),
  serviceMaterials: z.array(StSkuLinkBulkCreate).nullable().optional(),
  serviceEquipment: z.array(StSkuLinkBulkCreate).nullable().optional(),
  recommendations: z.array(StSkuReferenceBulkCreate).nullable().optional(),
  upgrades: z.array(StSkuReferenceBulkCreate).nullable().optional(),
});
export type StServiceBulkCreate = z.infer<typeof StServiceBulkCreate>;

/** An equipment item in a bulk create; its links may name batch items by `customId`. */
export const StEquipmentBulkCreate = StEquipmentCreate.extend({
  customId: StCustomId.nullable().optional(),
  equipmentMaterials: z.array(StSkuLinkBulkCreate).nullable().optional(),
  recommendations: z.array(StEquipmentRecommendationBulkCreate).nullable().optional(),
  upgrades: z.array(StSkuReferenceBulkCreate).nullable().optional(),
});
export type StEquipmentBulkCreate = z.infer<typeof StEquipmentBulkCreate>;

/**
 * Body of `POST /pricebook`.
 *
 * @example
 * StBulkCreate.parse({ materials: [{ customId: 'm1', code: 'M-1', description: 'x' }] });
 */
export const StBulkCreate = z.strictObject({
  services: z.array(StServiceBulkCreate).optional(),
  equipment: z.array(StEquipmentBulkCreate).optional(),
  materials: z.array(StMaterialBulkCreate).optional(),
});
export type StBulkCreate = z.infer<typeof StBulkCreate>;

export const StCustomIdMapping = z.object({ customId: z.string(), id: StId });
export type StCustomIdMapping = z.infer<typeof StCustomIdMapping>;

/** Response of `POST /pricebook` (201): each `customId` mapped to the new item's id. */
export const StBulkCreateResult = z.looseObject({
  services: z.array(StCustomIdMapping).nullable().optional(),
  equipment: z.array(StCustomIdMapping).nullable().optional(),
  materials: z.array(StCustomIdMapping).nullable().optional(),
});
export type StBulkCreateResult = z.infer<typeof StBulkCreateResult>;

/**
 * Bulk update items: the PATCH fields plus the item `id`. The spec lists every field as
 * required here (maybe a generator artefact); the schema only requires `id`, and callers that
 * want to be safe send whole objects.
 */
export const StMaterialBulkUpdate = StMaterialUpdate.extend({ id: StId });
export type StMaterialBulkUpdate = z.infer<typeof StMaterialBulkUpdate>;

export const StServiceBulkUpdate = StServiceUpdate.extend({ id: StId });
export type StServiceBulkUpdate = z.infer<typeof StServiceBulkUpdate>;

export const StEquipmentBulkUpdate = StEquipmentUpdate.extend({ id: StId });
export type StEquipmentBulkUpdate = z.infer<typeof StEquipmentBulkUpdate>;

/**
 * Body of `PATCH /pricebook` (200, no body).
 *
 * @example
 * StBulkUpdate.parse({ materials: [{ id: 101, price: 13 }] });
 */
export const StBulkUpdate = z.strictObject({
  services: z.array(StServiceBulkUpdate).optional(),
  equipment: z.array(StEquipmentBulkUpdate).optional(),
  materials: z.array(StMaterialBulkUpdate).optional(),
});
export type StBulkUpdate = z.infer<typeof StBulkUpdate>;
