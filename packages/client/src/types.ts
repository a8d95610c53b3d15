import type { components, paths } from './generated/api';

type Schemas = components['schemas'];

/** An RFC 9457 problem, as every error of the API is answered. */
export type Problem = Schemas['Problem'];
/** The options of a sync: the original specification's, plus `allowMassDelete` and `allowMassChange`. */
export type SyncRequest = Schemas['SyncRequest'];
/** A finished sync (`success`, `syncLogId`, `status`, `duration`, `stats.created`, …). */
export type SyncResult = Schemas['SyncResult'];
/** A sync accepted but not finished yet. */
export type SyncAccepted = Schemas['SyncAccepted'];
/** Where a running sync stands: one event of its progress stream. */
export type SyncProgress = Schemas['SyncProgress'];
/** `GET /api/sync/pricebook/status`: last sync, per-entity counts, conflicts, scheduler. */
export type SyncStatus = Schemas['SyncStatus'];
/** The scheduler block: `isRunning`, `schedules`, `timezone`, `nextRuns`. */
export type SchedulerStatus = Schemas['SchedulerStatus'];
/** One conflict: the three versions and the fields in dispute. */
export type Conflict = Schemas['Conflict'];
/** `GET /api/sync/pricebook/conflicts`: one page of conflicts with totals. */
export type ConflictList = Schemas['ConflictList'];
/** The body of a resolution. */
export type ResolveRequest = Schemas['ResolveRequest'];
/** What a resolution answers. */
export type ResolveResult = Schemas['ResolveResult'];
/** `GET /api/sync/pricebook/logs`: one page of the sync history. */
export type SyncLogList = Schemas['SyncLogList'];
/** One sync of the history. */
export type SyncLogSummary = Schemas['SyncLogSummary'];
/** The filters of `GET /api/sync/pricebook/conflicts`. */
export type ConflictFilters = NonNullable<
  paths['/api/sync/pricebook/conflicts']['get']['parameters']['query']
>;
/** The query of `GET /api/sync/pricebook/logs`. */
export type LogsQuery = NonNullable<paths['/api/sync/pricebook/logs']['get']['parameters']['query']>;
/** A tenant as the API shows it (never a secret): status, source, hosts and schedule. */
export type Tenant = Schemas['Tenant'];
/** The body of `POST /api/tenants`. */
export type TenantCreateRequest = Schemas['TenantCreateRequest'];
/** The body of `PATCH /api/tenants/{tenantId}`: only the fields given change. */
export type TenantUpdateRequest = Schemas['TenantUpdateRequest'];
/** What "test connection" found: `ok`, the `step` that failed, ServiceTitan's status and the reason. */
export type TenantConnectionTest = Schemas['TenantConnectionTest'];
