import {
  canonicalJson,
  type EntityType,
  type EntityTypeWith,
  mapEntities,
  type StUpdateOf,
  stWritableFields,
} from '@pricebook/contracts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function vendorRequest(vendor: unknown): unknown {
  if (!isObject(vendor)) return vendor;
  const { id: _id, vendorName: _name, primarySubAccount, otherSubAccounts, ...rest } = vendor;
  return {
    ...rest,
    primarySubAccount: subAccountRequest(primarySubAccount),
    otherSubAccounts: Array.isArray(otherSubAccounts)
      ? otherSubAccounts.map(subAccountRequest)
      : otherSubAccounts,
  };
}

function subAccountRequest(account: unknown): unknown {
  if (!isObject(account)) return account;
  const { id: _id, ...rest } = account;
  return rest;
}

function assetRequest(asset: unknown): unknown {
  if (!isObject(asset)) return asset;
  const { fileName: _fileName, ...rest } = asset;
  return rest;
}

/**
 * The fields each entity reads as `{ id, … }` objects and writes as bare ids (the registry's
 * `idObjects` columns: service categories).
 */
const idObjectFields: Record<EntityType, ReadonlySet<string>> = mapEntities(
  (d) => new Set(d.columns.filter((c) => c.kind === 'idObjects').map((c) => c.path[0] ?? '')),
);

/** Response shape → request shape of the fields whose shapes differ (CONTRACT.md §4). */
function toRequestValue(entity: EntityType, field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (idObjectFields[entity].has(field)) {
    return Array.isArray(value) ? value.map((c: unknown) => (isObject(c) ? c.id : c)) : value;
  }
  switch (field) {
    case 'primaryVendor':
      return vendorRequest(value);
    case 'otherVendors':
      return Array.isArray(value) ? value.map(vendorRequest) : value;
    case 'assets':
      return Array.isArray(value) ? value.map(assetRequest) : value;
    default:
      return value;
  }
}

/**
 * The writable fields of an ST record (or of a local row shaped like one) in PATCH request
 * shapes: vendors without their ids and names, assets without `fileName`, service
 * categories as ids. `externalData` is left out: its request needs your application guid, so
 * send it explicitly.
 *
 * @example
 * const body = stRecordToUpdate('materials', material); // { code, description, price, … }
 */
export function stRecordToUpdate<E extends EntityType>(entity: E, record: Readonly<Json>): StUpdateOf<E> {
  const out: Json = {};
  for (const field of stWritableFields[entity]) {
    if (field === 'externalData' || !(field in record)) continue;
    out[field] = toRequestValue(entity, field, record[field]);
  }
  return out as StUpdateOf<E>;
}

/**
 * The PATCH body that turns `before` into `after`: only the writable fields whose values
 * differ (deep comparison, key order ignored; a field absent from `after` is not a change).
 * Empty when nothing writable changed.
 *
 * @example
 * const patch = changedFields('materials', stRecord, localRow); // { price: 13 }
 * if (Object.keys(patch).length > 0) await client.patch('materials', id, patch);
 */
export function changedFields<E extends EntityType>(
  entity: E,
  before: Readonly<Json>,
  after: Readonly<Json>,
): StUpdateOf<E> {
  const from = stRecordToUpdate(entity, before) as Json;
  const to = stRecordToUpdate(entity, after) as Json;
  const out: Json = {};
  for (const [field, value] of Object.entries(to)) {
    if (canonicalJson(value ?? null) !== canonicalJson(from[field] ?? null)) out[field] = value;
  }
  return out as StUpdateOf<E>;
}

/**
 * A full bulk-update item (`PATCH /pricebook`) for a record: its id and every writable field,
 * since the spec lists them all as required there. Write-only fields that records never carry
 * (`intacctGlGroupAccount`, `variationMaterials`, `variationEquipment`) are sent as `null`.
 *
 * @example
 * await client.bulkUpdate({ materials: [stRecordToBulkUpdate('materials', { ...material, price: 4 })] });
 */
export function stRecordToBulkUpdate<E extends EntityTypeWith<'bulk'>>(
  entity: E,
  record: Readonly<Json> & { id: number },
): StUpdateOf<E> & { id: number } {
  const out: Json = { id: record.id, ...(stRecordToUpdate(entity, record) as Json) };
  for (const field of stWritableFields[entity]) {
    if (field !== 'externalData' && !(field in out)) out[field] = null;
  }
  return out as StUpdateOf<E> & { id: number };
}
