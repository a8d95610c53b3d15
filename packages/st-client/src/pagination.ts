import {
  type EntityType,
  entityDescriptor,
  type StActiveFilter,
  StListEnvelope,
  type StRecordOf,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { StHttp, StQuery } from './http';
import type { StTelemetry } from './stats';
import { type StInvalidRecord, validateRecordsYielding } from './validate';

/** Filters of a list call. Dates are ISO strings, sent as given. */
export interface StListOptions {
  /** Default `Any`: inactive items are part of the pricebook too. */
  active?: StActiveFilter;
  /** Default 5000, ST's maximum. */
  pageSize?: number;
  /** First page to read (1-based); lets a caller resume a paging. */
  startPage?: number;
  modifiedOnOrAfter?: string;
  modifiedBefore?: string;
  createdOnOrAfter?: string;
  createdBefore?: string;
  /** At most 50 ids (materials, services, equipment); see `listByIds` for more. */
  ids?: readonly number[];
  externalDataApplicationGuid?: string;
  externalDataKey?: string;
  externalDataValues?: string;
  /** Any other documented query parameter (e.g. `categoryType`, `searchText`). */
  extra?: StQuery;
  /**
   * Request page n+1 while page n is validated and consumed (default true). Turn it off when
   * you will stop after the first page.
   */
  readAhead?: boolean;
  signal?: AbortSignal;
}

/** One page of a list, its records validated one by one. */
export interface StListPage<E extends EntityType> {
  entity: E;
  page: number;
  hasMore: boolean;
  records: StRecordOf<E>[];
  invalid: StInvalidRecord[];
  /** Rows ST sent (`records.length + invalid.length`). */
  received: number;
}

/**
 * The entity's path under the pricebook API (`/{path}`, `/{path}/{id}`), from its descriptor.
 *
 * @example
 * stPath('materials'); // 'materials'
 */
export const stPath = (entity: EntityType): string => entityDescriptor(entity).st.path;

/**
 * Marks a read-ahead request as handled, so that it cannot become an unhandled rejection when
 * the consumer stops before asking for it; awaiting the returned promise still sees its error.
 *
 * @example
 * const next = prefetch(fetchPage(page + 1));
 */
export function prefetch<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}

/**
 * The query of one list page.
 *
 * @example
 * listQuery({}, 2); // { page: 2, pageSize: 5000, active: 'Any', … }
 */
export function listQuery(options: StListOptions, page: number): StQuery {
  return {
    ...options.extra,
    page,
    pageSize: options.pageSize ?? 5000,
    active: options.active ?? 'Any',
    modifiedOnOrAfter: options.modifiedOnOrAfter,
    modifiedBefore: options.modifiedBefore,
    createdOnOrAfter: options.createdOnOrAfter,
    createdBefore: options.createdBefore,
    ids: options.ids && options.ids.length > 0 ? options.ids.join(',') : undefined,
    externalDataApplicationGuid: options.externalDataApplicationGuid,
    externalDataKey: options.externalDataKey,
    externalDataValues: options.externalDataValues,
  };
}

/**
 * Reads a list endpoint page by page (`page=1,2,…`) until ST says `hasMore=false`. It sends
 * no `sort` and ignores `totalCount`: neither is reliable on ST.
 *
 * @example
 * for await (const page of listPages(http, 'materials', {})) await store(page.records);
 */
export async function* listPages<E extends EntityType>(
  http: StHttp,
  entity: E,
  options: StListOptions = {},
  telemetry?: StTelemetry,
): AsyncGenerator<StListPage<E>, void, undefined> {
  if (options.ids && options.ids.length > 50) {
    throw new AppError(
      'validation_failed',
      `ST takes at most 50 ids per list call, got ${options.ids.length}`,
    );
  }
  const fetchPage = async (page: number): Promise<StListEnvelope> => {
    const res = await http.send({
      operation: `${entity}.list`,
      method: 'GET',
      path: `/${stPath(entity)}`,
      query: listQuery(options, page),
      idempotent: true,
      signal: options.signal,
    });
    const envelope = StListEnvelope.safeParse(res.body);
    if (!envelope.success) {
      throw new AppError(
        'upstream_unavailable',
        `ServiceTitan ${entity}.list page ${page} has no list envelope`,
        {
          retry: true,
          details: { operation: `${entity}.list`, page, reason: envelope.error.issues[0]?.message },
        },
      );
    }
    if (envelope.data.hasMore && envelope.data.data.length === 0) {
      throw new AppError(
        'upstream_unavailable',
        `ServiceTitan ${entity}.list page ${page} is empty but hasMore`,
        {
          retry: true,
          details: { operation: `${entity}.list`, page },
        },
      );
    }
    return envelope.data;
  };
  let pending = fetchPage(options.startPage ?? 1);
  for (let page = options.startPage ?? 1; ; page++) {
    const { data, hasMore } = await pending;
    // Read ahead: the next page travels while this one is validated and consumed.
    const next = hasMore && options.readAhead !== false ? prefetch(fetchPage(page + 1)) : undefined;
    const { records, invalid } = await validateRecordsYielding(entity, data, telemetry);
    yield { entity, page, hasMore, records, invalid, received: data.length };
    if (!hasMore) return;
    pending = next ?? fetchPage(page + 1);
  }
}
