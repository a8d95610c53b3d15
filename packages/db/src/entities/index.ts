import type { EntityType } from '@pricebook/contracts';
import { Change, DeadLetter, OutboxMessage, QuarantinedRecord } from './events';
import { PricebookCategory, PricebookEquipment, PricebookMaterial, PricebookService } from './pricebook';
import { StRateBudget } from './rate-budget';
import { SyncConflict, SyncItem, SyncLog, SyncRun, SyncState } from './sync';

export * from './events';
export * from './pricebook';
export * from './rate-budget';
export * from './sync';
export { embeddingDimensions, VectorType } from './vector-type';

/** The entity definition of each pricebook table, keyed by the contracts' entity type. */
export const pricebookEntities = {
  categories: PricebookCategory,
  materials: PricebookMaterial,
  services: PricebookService,
  equipment: PricebookEquipment,
} as const satisfies Record<EntityType, unknown>;

/** Every entity the ORM knows; the schema snapshot is computed from this list. */
export const allEntities = [
  PricebookCategory,
  PricebookMaterial,
  PricebookService,
  PricebookEquipment,
  SyncLog,
  SyncRun,
  SyncConflict,
  SyncState,
  SyncItem,
  Change,
  OutboxMessage,
  QuarantinedRecord,
  DeadLetter,
  StRateBudget,
];
