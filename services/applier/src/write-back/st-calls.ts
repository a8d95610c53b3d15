import {
  type EntityType,
  type EntityTypeWith,
  entityDescriptor,
  hasCapability,
  type StCreateOf,
  type StUpdateOf,
} from '@pricebook/contracts';
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

/**
 * The create body of a local row: its writable fields, tagged with our externalData where the
 * entity carries it (SKUs).
 */
export function createBody(entity: EntityType, data: Json, localId: string, applicationGuid: string): Json {
  const body = stRecordToUpdate(entity, data) as Json;
  if (hasCapability(entity, 'externalData')) {
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

/** An item ST holds whose record fails our schema: its id, why, and the record as received. */
export interface UnreadableItem {
  stId: number;
  reason: string;
  raw: unknown;
}

/** What a look-up of an earlier create found: ST's record, or an item our schema refuses. */
export type FoundItem = { kind: 'record'; record: Json } | { kind: 'unreadable'; item: UnreadableItem };

function tagsOf(record: unknown): unknown[] | undefined {
  const tags =
    typeof record === 'object' && record !== null ? Reflect.get(record, 'externalData') : undefined;
  return Array.isArray(tags) ? tags : undefined;
}

/**
 * Items of ours already in ST for these local ids (a create that succeeded before a crash or an
 * ambiguous answer), by local id. An item whose record fails our schema is found too, as
 * `unreadable`: ST has it, so creating it again would make a duplicate. An entity without
 * externalData (categories) is matched instead; see `findUntagged`.
 *
 * @example
 * const ours = await findOurs(st, 'materials', guid, [row.id]);
 */
export async function findOurs(
  st: StClient,
  entity: EntityTypeWith<'externalData'>,
  applicationGuid: string,
  localIds: readonly string[],
): Promise<Map<string, FoundItem>> {
  const out = new Map<string, FoundItem>();
  if (localIds.length === 0) return out;
  const found = await st.findByExternalData(entity, { applicationGuid, key: LOCAL_ID_KEY, values: localIds });
  const candidates = [
    ...(found.records as Json[]).map((record) => ({
      id: Number(record.id),
      tags: tagsOf(record),
      found: { kind: 'record', record } as FoundItem,
    })),
    ...found.invalid.flatMap((bad) =>
      bad.id === undefined
        ? []
        : [
            {
              id: bad.id,
              tags: tagsOf(bad.raw),
              found: {
                kind: 'unreadable',
                item: { stId: bad.id, reason: bad.reason, raw: bad.raw },
              } as FoundItem,
            },
          ],
    ),
  ];
  // The lowest id first: if a duplicate ever slipped through, every run adopts the same one.
  candidates.sort((a, b) => a.id - b.id);
  for (const candidate of candidates) {
    // ST filtered by our values: an item whose tags cannot be read belongs to the one id asked.
    const values = candidate.tags
      ? candidate.tags.map((tag) =>
          typeof tag === 'object' && tag !== null ? Reflect.get(tag, 'value') : undefined,
        )
      : localIds.length === 1
        ? [localIds[0]]
        : [];
    for (const value of values) {
      if (typeof value === 'string' && localIds.includes(value) && !out.has(value))
        out.set(value, candidate.found);
    }
  }
  return out;
}

/**
 * The item a create made when ST accepted it (201) but answered with a record that fails our
 * schema: ST holds it under the answer's id, so it must be recorded, never created again.
 *
 * @example
 * const made = createdButUnreadable(error); // { stId: 20000513, reason: '…', raw: null }
 */
export function createdButUnreadable(error: unknown): UnreadableItem | undefined {
  if (!(error instanceof AppError) || error.code !== 'bad_message') return undefined;
  const id = error.details?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0
    ? { stId: id, reason: error.message, raw: null }
    : undefined;
}

/**
 * The item a create of `data` may already have made, for an entity without externalData: one
 * its descriptor's `sameCreate` recognises (categories: same name, parent and type) and not yet
 * linked to any local row (`linked`). This is the only way to make such creates safe to repeat;
 * see the README for the limit.
 *
 * @example
 * const existing = findUntagged('categories', allCategories, row.data, linkedStIds);
 */
export function findUntagged(
  entity: EntityType,
  items: readonly Json[],
  data: Json,
  linked: ReadonlySet<number>,
): Json | undefined {
  const same = entityDescriptor(entity).sameCreate;
  if (!same) return undefined;
  return items
    .filter((item) => same(item, data) && !linked.has(Number(item.id)))
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
