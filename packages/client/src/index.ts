export type { Middleware } from 'openapi-fetch';
export {
  type ApiClientOptions,
  createApiClient,
  type HeaderSource,
  type PricebookClient,
} from './create-api-client';
export { type FollowOptions, followSync, SyncStreamLostError, syncEvents } from './follow-sync';
export type { components, paths } from './generated/api';
export { type NetworkFailure, networkFailure } from './network-failure';
export { type FetchResult, ProblemError, unwrap } from './problem-error';
export {
  defaultRetry,
  parseRetryAfter,
  type RetryEvent,
  type RetryOptions,
  retryDelay,
  retryingFetch,
  safeToResend,
} from './retry';
export { readEvents, type ServerSentEvent } from './sse';
export { type EngineOptions, PricebookSyncEngine, type ResolveExtras } from './sync-engine';
export { SyncScheduler } from './sync-scheduler';
export type * from './types';
