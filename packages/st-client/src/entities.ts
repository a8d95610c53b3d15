import {
  type EntityType,
  hasCapability,
  StBulkCreate,
  StBulkCreateResult,
  StBulkUpdate,
  type StCreateOf,
  type StRecordOf,
  type StUpdateOf,
  stCreateSchemas,
  stUpdateSchemas,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { z } from 'zod';
import type { StHttp } from './http';
import { listPages, stPath } from './pagination';
import type { StTelemetry } from './stats';
import { type StInvalidRecord, validateRecords } from './validate';

/** What the entity operations need from the client. */
export interface StEntityContext {
  http: StHttp;
  telemetry: StTelemetry;
}

export interface StCallOptions {
  signal?: AbortSignal;
}

export interface StGetOptions extends StCallOptions {
  /** Needed to see items created under an application guid (and their `externalData`). */
  externalDataApplicationGuid?: string;
}

export interface StListByIdsOptions extends StGetOptions {
  /** Requests in flight at once (default 4); the tenant's rate limit still applies. */
  concurrency?: number;
}

/** Maps `items` with at most `limit` calls in flight; results keep the input order. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** How a create tagged with `externalData` is found again. */
export interface StExternalDataLookup {
  applicationGuid: string;
  key?: string;
  /** One value or several (sent comma-separated). */
  values?: string | readonly string[];
}

export interface StRecordsResult<E extends EntityType> {
  records: StRecordOf<E>[];
  invalid: StInvalidRecord[];
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const reason = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');
  throw new AppError('validation_failed', `invalid ${what}: ${reason}`, {
    details: { issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  });
}

/** Parses one record ST answered with; a record that breaks the contract is `bad_message`. */
function parseAnswer<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  body: unknown,
  operation: string,
) {
  const { records, invalid } = validateRecords(entity, [body], ctx.telemetry);
  const record = records[0];
  if (record) return record;
  const bad = invalid[0];
  throw new AppError(
    'bad_message',
    `ServiceTitan answered ${operation} with an invalid record: ${bad?.reason}`,
    {
      details: { operation, id: bad?.id, reason: bad?.reason },
    },
  );
}

/** The body of `GET /{entity}/{id}`, unparsed; `undefined` when ST answers 404. */
async function getBody(
  ctx: StEntityContext,
  entity: EntityType,
  id: number,
  options: StGetOptions,
): Promise<{ body: unknown } | undefined> {
  const res = await ctx.http.send({
    operation: `${entity}.get`,
    method: 'GET',
    path: `/${stPath(entity)}/${id}`,
    query: { externalDataApplicationGuid: options.externalDataApplicationGuid },
    idempotent: true,
    passThrough: [404],
    signal: options.signal,
  });
  return res.status === 404 ? undefined : { body: res.body };
}

/** `GET /{entity}/{id}`; `undefined` when ST answers 404. */
export async function getRecord<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  id: number,
  options: StGetOptions = {},
): Promise<StRecordOf<E> | undefined> {
  const got = await getBody(ctx, entity, id, options);
  return got && parseAnswer(ctx, entity, got.body, `${entity}.get`);
}

/**
 * `POST /{entity}` (201). Never repeated after an ambiguous failure: see
 * `StAmbiguousWriteError`.
 */
export async function createRecord<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  body: StCreateOf<E>,
  options: StCallOptions = {},
): Promise<StRecordOf<E>> {
  const payload = parseBody(stCreateSchemas[entity], body, `${entity} create`);
  const res = await ctx.http.send({
    operation: `${entity}.create`,
    method: 'POST',
    path: `/${stPath(entity)}`,
    body: payload,
    idempotent: false,
    signal: options.signal,
  });
  return parseAnswer(ctx, entity, res.body, `${entity}.create`);
}

/** `PATCH /{entity}/{id}` with exactly the fields given (an empty patch is refused). */
export async function patchRecord<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  id: number,
  patch: StUpdateOf<E>,
  options: StCallOptions = {},
): Promise<StRecordOf<E>> {
  const payload = parseBody(stUpdateSchemas[entity], patch, `${entity} patch`) as Record<string, unknown>;
  if (Object.keys(payload).length === 0) {
    throw new AppError('validation_failed', `empty ${entity} patch for ${id}: nothing to send`);
  }
  const res = await ctx.http.send({
    operation: `${entity}.patch`,
    method: 'PATCH',
    path: `/${stPath(entity)}/${id}`,
    body: payload,
    idempotent: true,
    signal: options.signal,
  });
  return parseAnswer(ctx, entity, res.body, `${entity}.patch`);
}

/** `DELETE /{entity}/{id}` (204). `deleted: false` when ST no longer has it (404). */
export async function deleteRecord(
  ctx: StEntityContext,
  entity: EntityType,
  id: number,
  options: StCallOptions = {},
): Promise<{ deleted: boolean }> {
  const res = await ctx.http.send({
    operation: `${entity}.delete`,
    method: 'DELETE',
    path: `/${stPath(entity)}/${id}`,
    idempotent: true,
    passThrough: [404],
    signal: options.signal,
  });
  return { deleted: res.status !== 404 };
}

/** `POST /pricebook` (201): creates a batch; returns each `customId`'s new id. Not repeated. */
export async function bulkCreate(
  ctx: StEntityContext,
  body: z.input<typeof StBulkCreate>,
  options: StCallOptions = {},
): Promise<StBulkCreateResult> {
  const payload = parseBody(StBulkCreate, body, 'bulk create');
  const res = await ctx.http.send({
    operation: 'pricebook.bulkCreate',
    method: 'POST',
    path: '/pricebook',
    body: payload,
    idempotent: false,
    signal: options.signal,
  });
  const result = StBulkCreateResult.safeParse(res.body ?? {});
  if (result.success) return result.data;
  throw new AppError('bad_message', 'ServiceTitan answered pricebook.bulkCreate with an unreadable body', {
    details: { operation: 'pricebook.bulkCreate', reason: result.error.issues[0]?.message },
  });
}

/** `PATCH /pricebook` (200): updates a batch, each item by `id`. */
export async function bulkUpdate(
  ctx: StEntityContext,
  body: z.input<typeof StBulkUpdate>,
  options: StCallOptions = {},
): Promise<void> {
  const payload = parseBody(StBulkUpdate, body, 'bulk update');
  await ctx.http.send({
    operation: 'pricebook.bulkUpdate',
    method: 'PATCH',
    path: '/pricebook',
    body: payload,
    idempotent: true,
    signal: options.signal,
  });
}

/**
 * Reads items by id, 50 per call (`ids=`), whatever their `active` state. An entity without an
 * `ids` filter (categories) is read one by one. Records that break the contract are in `invalid`
 * (never thrown); `missing` lists the ids ST did not return at all.
 */
export async function listByIds<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  ids: readonly number[],
  options: StListByIdsOptions = {},
): Promise<StRecordsResult<E> & { missing: number[] }> {
  const unique = [...new Set(ids)];
  const records: StRecordOf<E>[] = [];
  const invalid: StInvalidRecord[] = [];
  if (!hasCapability(entity, 'idsFilter')) {
    for (const id of unique) {
      const got = await getBody(ctx, entity, id, options);
      if (!got) continue;
      // As in a list: a record that breaks the contract is handed back as invalid, not thrown,
      // so a caller can tell "ST has it, unreadable" from "ST has none".
      const one = validateRecords(entity, [got.body], ctx.telemetry);
      records.push(...one.records);
      invalid.push(...one.invalid.map((bad) => ({ ...bad, id: bad.id ?? id })));
    }
  } else {
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += 50) chunks.push(unique.slice(i, i + 50));
    const results = await mapConcurrent(chunks, options.concurrency ?? 4, async (chunk) => {
      const out: StRecordsResult<E> = { records: [], invalid: [] };
      for await (const page of listPages(
        ctx.http,
        entity,
        { ...options, ids: chunk, pageSize: 50 },
        ctx.telemetry,
      )) {
        out.records.push(...page.records);
        out.invalid.push(...page.invalid);
      }
      return out;
    });
    for (const r of results) {
      records.push(...r.records);
      invalid.push(...r.invalid);
    }
  }
  const found = new Set<number>(records.map((r) => r.id));
  for (const bad of invalid) if (bad.id !== undefined) found.add(bad.id);
  return { records, invalid, missing: unique.filter((id) => !found.has(id)) };
}

/**
 * Finds items by their `externalData` (entities with that capability: materials, services,
 * equipment): the way to learn whether a create whose outcome was unknown did happen.
 */
export async function findByExternalData<E extends EntityType>(
  ctx: StEntityContext,
  entity: E,
  lookup: StExternalDataLookup,
  options: StCallOptions = {},
): Promise<StRecordsResult<E>> {
  if (!hasCapability(entity, 'externalData')) {
    throw new AppError('validation_failed', `ServiceTitan ${entity} carry no externalData`);
  }
  const values = typeof lookup.values === 'string' ? lookup.values : lookup.values?.join(',');
  const records: StRecordOf<E>[] = [];
  const invalid: StInvalidRecord[] = [];
  const filters = {
    externalDataApplicationGuid: lookup.applicationGuid,
    externalDataKey: lookup.key,
    externalDataValues: values,
    signal: options.signal,
  };
  for await (const page of listPages(ctx.http, entity, filters, ctx.telemetry)) {
    records.push(...page.records);
    invalid.push(...page.invalid);
  }
  return { records, invalid };
}
