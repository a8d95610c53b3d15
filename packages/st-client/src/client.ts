import type {
  EntityType,
  StBulkCreate,
  StBulkCreateResult,
  StBulkUpdate,
  StCreateOf,
  StRecordOf,
  StUpdateOf,
} from '@pricebook/contracts';
import type { Logger } from '@pricebook/logger';
import type { z } from 'zod';
import { TokenProvider } from './auth';
import type { StConnection } from './config';
import {
  bulkCreate,
  bulkUpdate,
  createRecord,
  deleteRecord,
  findByExternalData,
  getRecord,
  listByIds,
  patchRecord,
  type StCallOptions,
  type StEntityContext,
  type StExternalDataLookup,
  type StGetOptions,
  type StListByIdsOptions,
  type StRecordsResult,
} from './entities';
import { exportPages, type StExportOptions, type StExportPage } from './export';
import { StHttp } from './http';
import { listPages, type StListOptions, type StListPage } from './pagination';
import {
  defaultRateLimit,
  type RateLimiterOptions,
  type StRateLimiter,
  tenantRateLimiter,
} from './rate-limit';
import { defaultRetryPolicy, type RetryPolicy } from './retry';
import { type StClientEventListener, type StClientStats, StTelemetry } from './stats';

/** Everything a client needs; only the connection is required. */
export interface StClientOptions extends StConnection {
  /** Bounds of the retry loop of each request. */
  retry?: Partial<RetryPolicy>;
  /** Timeout of one attempt in ms (default 100 000, ST's documented server timeout). */
  attemptTimeoutMs?: number;
  /** Renew tokens this long before expiry (default 60 s). */
  tokenRenewMarginMs?: number;
  /**
   * The rate limit. By default the process-wide limiter of the tenant (shared by every client
   * of that tenant in this process); services pass a `SharedRateLimiter`, whose budget every
   * process and replica shares.
   */
  rateLimiter?: StRateLimiter;
  /** Options of the tenant's shared limiter when it is created (default 60 per 1 s + 250 ms). */
  rateLimit?: RateLimiterOptions;
  /** On 429, hold every caller of the limiter for the requested wait (default false). */
  pauseOn429?: boolean;
  /** A token provider to share between clients of the same credentials. */
  tokenProvider?: TokenProvider;
  /** Called for every request, retry, token fetch and invalid record. */
  onEvent?: StClientEventListener;
  logger?: Logger;
  /** Replaces global `fetch` (tests). */
  fetch?: typeof fetch;
}

/**
 * The ServiceTitan pricebook client of one tenant: list and export paging with per-record
 * validation, CRUD, bulk, and look-ups, over a rate-limited, retrying, token-managing HTTP
 * core. Safe to share between concurrent callers.
 *
 * @example
 * const st = new StClient({ ...stClientOptionsFromEnv(loadConfig(stClientEnv)), logger });
 * for await (const page of st.list('materials')) console.log(page.records.length, page.invalid);
 * const created = await st.create('materials', { code: 'M-1', description: 'x', price: 2 });
 * await st.patch('materials', created.id, { price: 3 });
 */
export class StClient {
  readonly tenantId: string;
  private readonly telemetry: StTelemetry;
  private readonly ctx: StEntityContext;

  constructor(options: StClientOptions) {
    this.tenantId = options.tenantId;
    this.telemetry = new StTelemetry(options.onEvent);
    const retry = { ...defaultRetryPolicy, ...options.retry };
    const tokens =
      options.tokenProvider ??
      new TokenProvider({
        authUrl: options.authUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        renewMarginMs: options.tokenRenewMarginMs,
        retry,
        telemetry: this.telemetry,
        fetch: options.fetch,
      });
    const http = new StHttp({
      connection: {
        baseUrl: options.baseUrl,
        authUrl: options.authUrl,
        tenantId: options.tenantId,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        appKey: options.appKey,
      },
      tokens,
      limiter:
        options.rateLimiter ?? tenantRateLimiter(options.tenantId, options.rateLimit ?? defaultRateLimit),
      retry,
      attemptTimeoutMs: options.attemptTimeoutMs ?? 100_000,
      pauseOn429: options.pauseOn429 ?? false,
      telemetry: this.telemetry,
      logger: options.logger?.child({ component: 'st-client', tenant: options.tenantId }),
      fetch: options.fetch,
    });
    this.ctx = { http, telemetry: this.telemetry };
  }

  /** A snapshot of the counters (requests by status, 429s, retries, …). */
  stats(): StClientStats {
    return this.telemetry.snapshot();
  }

  /** Pages of `GET /{entity}` with `active=Any&pageSize=5000`, until `hasMore=false`. */
  list<E extends EntityType>(
    entity: E,
    options: StListOptions = {},
  ): AsyncGenerator<StListPage<E>, void, undefined> {
    return listPages(this.ctx.http, entity, options, this.telemetry);
  }

  /** Batches of `GET /export/{entity}` from `options.from`, each with its `continueFrom`. */
  export<E extends EntityType>(
    entity: E,
    options: StExportOptions = {},
  ): AsyncGenerator<StExportPage<E>, void, undefined> {
    return exportPages(this.ctx.http, entity, options, this.telemetry);
  }

  /** One record, or `undefined` when ST has no such id. */
  get<E extends EntityType>(
    entity: E,
    id: number,
    options?: StGetOptions,
  ): Promise<StRecordOf<E> | undefined> {
    return getRecord(this.ctx, entity, id, options);
  }

  /** Items by id, 50 per request; `missing` are the ids ST did not return. */
  listByIds<E extends EntityType>(
    entity: E,
    ids: readonly number[],
    options?: StListByIdsOptions,
  ): Promise<StRecordsResult<E> & { missing: number[] }> {
    return listByIds(this.ctx, entity, ids, options);
  }

  /** Items tagged with an application's `externalData` (key and/or values). */
  findByExternalData<E extends EntityType>(
    entity: E,
    lookup: StExternalDataLookup,
    options?: StCallOptions,
  ): Promise<StRecordsResult<E>> {
    return findByExternalData(this.ctx, entity, lookup, options);
  }

  /** Creates one item (201). An unknown outcome throws `StAmbiguousWriteError`: read back. */
  create<E extends EntityType>(
    entity: E,
    body: StCreateOf<E>,
    options?: StCallOptions,
  ): Promise<StRecordOf<E>> {
    return createRecord(this.ctx, entity, body, options);
  }

  /** Sends exactly the given fields (see `changedFields`); returns ST's updated record. */
  patch<E extends EntityType>(
    entity: E,
    id: number,
    patch: StUpdateOf<E>,
    options?: StCallOptions,
  ): Promise<StRecordOf<E>> {
    return patchRecord(this.ctx, entity, id, patch, options);
  }

  /** Deletes one item (204); `deleted: false` if ST had none (404). */
  delete(entity: EntityType, id: number, options?: StCallOptions): Promise<{ deleted: boolean }> {
    return deleteRecord(this.ctx, entity, id, options);
  }

  /** `POST /pricebook`: creates materials, services and equipment in one call. */
  bulkCreate(body: z.input<typeof StBulkCreate>, options?: StCallOptions): Promise<StBulkCreateResult> {
    return bulkCreate(this.ctx, body, options);
  }

  /** `PATCH /pricebook`: updates many items, each by `id`. */
  bulkUpdate(body: z.input<typeof StBulkUpdate>, options?: StCallOptions): Promise<void> {
    return bulkUpdate(this.ctx, body, options);
  }
}
