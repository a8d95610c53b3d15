import type { EntityType, StCreateOf, StUpdateOf } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { type StClient, stRecordToUpdate } from '@pricebook/st-client';

type Json = Record<string, unknown>;

/** The externalData key under which a created item carries its local id. */
export const LOCAL_ID_KEY = 'pricebookLocalId';

/** One request as it would go to ST (a dry run's plan; the ledger's detail). */
export interface PlannedRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: Json;
}

/**
 * ST's answer as the row keeps it: `externalData` is only visible to our application GUID, and the
 * fetcher reads without one, so it is stored as the fetcher will see it (null); otherwise the next
 * `from_st` sync would take the echo for an ST change.
 *
 * @example
 * asFetched({ id: 1, externalData: [{ key: 'pricebookLocalId', value: '…' }] }); // { id: 1, externalData: null }
 */
export function asFetched(answer: Json): Json {
  return 'externalData' in answer ? { ...answer, externalData: null } : answer;
}

/** The create body of a local row: its writable fields, tagged with our externalData (SKUs). */
export function createBody(entity: EntityType, data: Json, localId: string, applicationGuid: string): Json {
  const body = stRecordToUpdate(entity, data) as Json;
  if (entity !== 'categories') {
    body.externalData = { applicationGuid, externalData: [{ key: LOCAL_ID_KEY, value: localId }] };
  }
  return body;
}

/**
 * Whether an ST failure is about this record's content (ST refused it, or it breaks the contract
 * before sending): the edit stays pending with the reason and the rest of the push goes on.
 *
 * @example
 * if (isRejection(error)) results.push({ kind: 'rejected', reason: error.message });
 */
export function isRejection(error: unknown): error is AppError {
  return (
    error instanceof AppError && (error.code === 'upstream_rejected' || error.code === 'validation_failed')
  );
}

/**
 * Items of ours already in ST for these local ids (a create that succeeded before a crash or an
 * ambiguous answer), by local id. Categories carry no externalData; see `findCategory`.
 *
 * @example
 * const ours = await findOurs(st, 'materials', guid, [row.id]);
 */
export async function findOurs(
  st: StClient,
  entity: Exclude<EntityType, 'categories'>,
  applicationGuid: string,
  localIds: readonly string[],
): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  if (localIds.length === 0) return out;
  const found = await st.findByExternalData(entity, { applicationGuid, key: LOCAL_ID_KEY, values: localIds });
  // The lowest id first: if a duplicate ever slipped through, every run adopts the same one.
  const records = [...found.records].sort((a, b) => Number(a.id) - Number(b.id)) as Json[];
  for (const record of records) {
    const tags = Array.isArray(record.externalData) ? record.externalData : [];
    for (const tag of tags) {
      const value = typeof tag === 'object' && tag !== null ? Reflect.get(tag, 'value') : undefined;
      if (typeof value === 'string' && localIds.includes(value) && !out.has(value)) out.set(value, record);
    }
  }
  return out;
}

/**
 * The ST category a create of `data` may already have made: same name, parent and type, and not
 * yet linked to any local row (`linked`). Categories have no externalData, so this is the only
 * way to make their creates safe to repeat; see the README for the limit.
 *
 * @example
 * const existing = findCategory(allCategories, row.data, linkedStIds);
 */
export function findCategory(
  categories: readonly Json[],
  data: Json,
  linked: ReadonlySet<number>,
): Json | undefined {
  return categories
    .filter(
      (c) =>
        c.name === data.name &&
        (c.parentId ?? null) === (data.parentId ?? null) &&
        (data.categoryType === undefined || c.categoryType === data.categoryType) &&
        !linked.has(Number(c.id)),
    )
    .sort((a, b) => Number(a.id) - Number(b.id))[0];
}

/** `POST /{entity}` with the typed body. */
export function create(st: StClient, entity: EntityType, body: Json): Promise<Json> {
  return st.create(entity, body as StCreateOf<typeof entity>) as Promise<Json>;
}

/** `PATCH /{entity}/{id}` with the typed body. */
export function patch(st: StClient, entity: EntityType, id: number, body: Json): Promise<Json> {
  return st.patch(entity, id, body as StUpdateOf<typeof entity>) as Promise<Json>;
}
