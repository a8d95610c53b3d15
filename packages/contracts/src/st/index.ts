export * from './bulk';
export * from './category';
export * from './edits';
export * from './envelopes';
export * from './equipment';
export * from './material';
export {
  StActiveFilter,
  StCategoryType,
  StDimensions,
  StDimensionsRequest,
  StEquipmentRecommendation,
  StEquipmentRecommendationRequest,
  StEquipmentRecommendationType,
  StExternalDataCreate,
  StExternalDataEntry,
  StExternalDataPatchMode,
  StExternalDataUpdate,
  StGuid,
  StSkuAsset,
  StSkuAssetRequest,
  StSkuAssetType,
  StSkuCategory,
  StSkuLink,
  StSkuLinkRequest,
  StSkuVendor,
  StSkuVendorRequest,
  StSkuVendorSubAccount,
  StSkuVendorSubAccountRequest,
  StSkuWarranty,
  StSkuWarrantyRequest,
} from './nested';
export {
  compareStTimestamps,
  normalizeStDecimal,
  normalizeStTimestamp,
  ST_TIMESTAMP_FRACTION_DIGITS,
  StDecimal,
  StId,
  StInt32,
  StTimestamp,
  stTimestampToMs,
} from './primitives';
export * from './records';
export * from './service';
