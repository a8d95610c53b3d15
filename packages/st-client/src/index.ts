export { describeNetworkError, TokenProvider, type TokenProviderOptions } from './auth';
export { StClient, type StClientOptions } from './client';
export { type StClientEnv, type StConnection, stClientEnv, stClientOptionsFromEnv } from './config';
export { changedFields, stRecordToBulkUpdate, stRecordToUpdate } from './diff';
export type {
  StCallOptions,
  StExternalDataLookup,
  StGetOptions,
  StListByIdsOptions,
  StRecordsResult,
} from './entities';
export {
  isAmbiguousWrite,
  rejectedError,
  StAmbiguousWriteError,
  type StErrorSummary,
  summarizeErrorBody,
} from './errors';
export type { StExportOptions, StExportPage } from './export';
export type { StMethod, StQuery, StRequest, StResponse } from './http';
export type { StListOptions, StListPage } from './pagination';
export {
  defaultRateLimit,
  type RateLimiterOptions,
  SlidingWindowLimiter,
  type StRateLimiter,
  tenantRateLimiter,
} from './rate-limit';
export {
  backoffDelay,
  defaultRetryPolicy,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
  retryHintFromBody,
  sleep,
} from './retry';
export {
  type RateBudgetGrant,
  type RateBudgetRequest,
  type RateBudgetStore,
  rateBudgetKey,
  SharedRateLimiter,
  type SharedRateLimiterOptions,
  type SharedRateLimiterStats,
} from './shared-rate-limit';
export { createStats, type StClientEvent, type StClientEventListener, type StClientStats } from './stats';
export { type StInvalidRecord, type StValidatedRecords, stVersionKey, validateRecords } from './validate';
