import { addError, type FieldErrors, validationError } from '../problem';
import type { Tenant } from '../store/tenant';
import {
  type AnyRecord,
  type AssetType,
  type CategoryRecord,
  type Entity,
  type EquipmentRecommendation,
  entityLabels,
  type RecordOf,
  type SkuAsset,
  type SkuEntity,
  type SkuLink,
  type SkuVendor,
  type SubAccount,
} from '../store/types';
import { fieldSpecs, type RequestFields, type VendorRequest, type WarrantyRequest } from './schemas';

/** Everything one write request (single or bulk) needs while it is validated and applied. */
export interface WriteScope {
  tenant: Tenant;
  errors: FieldErrors;
  /** Error key prefix of the item being applied, e.g. "Materials[2]." in bulk requests. */
  prefix: string;
  /** Records created or updated by the same bulk request, visible to reference checks. */
  pending: Map<number, { entity: Entity; data: AnyRecord }>;
  /** `${entity}:${customId}` → id, for bulk create cross-references. */
  customIds: Map<string, number>;
  /** `${entity}:${lower-case code}` → id claimed in this request. */
  batchCodes: Map<string, number>;
  /**
   * Ids the record already referenced before this write. They are not checked again, so a
   * client can send back what it read even after a linked item was deleted.
   */
  known: Set<number>;
}

export function newScope(tenant: Tenant): WriteScope {
  return {
    tenant,
    errors: {},
    prefix: '',
    pending: new Map(),
    customIds: new Map(),
    batchCodes: new Map(),
    known: new Set(),
  };
}

export function throwIfErrors(scope: WriteScope): void {
  if (Object.keys(scope.errors).length) throw validationError(scope.errors);
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function fail(scope: WriteScope, field: string, message: string): void {
  addError(scope.errors, `${scope.prefix}${pascal(field)}`, message);
}

/** A live record of `entity`, looking at the current bulk batch first. */
export function lookup<E extends Entity>(scope: WriteScope, entity: E, id: number): RecordOf[E] | undefined {
  const pending = scope.pending.get(id);
  if (pending) return pending.entity === entity ? (pending.data as RecordOf[E]) : undefined;
  return scope.tenant.store(entity).getLive(id)?.data;
}

function checkIds(scope: WriteScope, field: string, entity: Entity | Entity[], ids: number[]): number[] {
  const targets = Array.isArray(entity) ? entity : [entity];
  for (const id of ids) {
    if (scope.known.has(id)) continue;
    if (!targets.some((t) => lookup(scope, t, id)))
      fail(scope, field, `${entityLabels[targets[0] ?? 'materials']} with id ${id} was not found.`);
  }
  return [...ids];
}

interface Ref {
  skuId?: number | null;
  customId?: string | null;
}

/** A link target given either as an id (plain requests) or `{skuId | customId}` (bulk create). */
function resolve(scope: WriteScope, field: string, target: SkuEntity, ref: number | Ref): number | undefined {
  if (typeof ref === 'number') return ref;
  if (ref.customId !== null && ref.customId !== undefined) {
    const id = scope.customIds.get(`${target}:${ref.customId}`);
    if (id === undefined) fail(scope, field, `Unknown customId '${ref.customId}'.`);
    return id;
  }
  if (ref.skuId !== null && ref.skuId !== undefined) return ref.skuId;
  fail(scope, field, 'Either skuId or customId is required.');
  return undefined;
}

function links(scope: WriteScope, field: string, target: SkuEntity, value: unknown): SkuLink[] {
  const out: SkuLink[] = [];
  for (const item of value as (Ref & { quantity: number })[]) {
    const skuId = resolve(scope, field, target, item);
    if (skuId === undefined) continue;
    checkIds(scope, field, target, [skuId]);
    out.push({ skuId, quantity: item.quantity });
  }
  return out;
}

/** Plain id lists, or bulk `{skuId | customId}` refs that may name any of `targets`. */
function refs(scope: WriteScope, field: string, targets: SkuEntity[], value: unknown): number[] {
  const out: number[] = [];
  for (const item of value as (number | Ref)[]) {
    let id: number | undefined;
    if (typeof item === 'number') id = item;
    else if (item.customId !== null && item.customId !== undefined) {
      const customId = item.customId;
      id = targets.map((t) => scope.customIds.get(`${t}:${customId}`)).find((v) => v !== undefined);
      if (id === undefined) fail(scope, field, `Unknown customId '${customId}'.`);
    } else id = resolve(scope, field, targets[0] ?? 'services', item);
    if (id !== undefined) out.push(...checkIds(scope, field, targets, [id]));
  }
  return out;
}

function equipmentRecommendations(scope: WriteScope, value: unknown): EquipmentRecommendation[] {
  const out: EquipmentRecommendation[] = [];
  for (const item of value as (Ref & { type: 'Service' | 'Material' })[]) {
    const target: SkuEntity = item.type === 'Service' ? 'services' : 'materials';
    const skuId = resolve(scope, 'recommendations', target, item);
    if (skuId === undefined) continue;
    checkIds(scope, 'recommendations', target, [skuId]);
    out.push({ skuId, type: item.type });
  }
  return out;
}

function vendor(scope: WriteScope, v: VendorRequest, previous: (SkuVendor | null)[]): SkuVendor {
  // A vendor resent unchanged keeps its link ids, so a PATCH does not churn the response.
  const prev = previous.find((p) => p?.vendorId === v.vendorId);
  const sub = (s: { cost: number; accountName: string }, old?: SubAccount | null): SubAccount => ({
    id: old?.accountName === s.accountName ? old.id : scope.tenant.newId(),
    cost: s.cost,
    accountName: s.accountName,
  });
  return {
    id: prev?.id ?? scope.tenant.newId(),
    vendorName: scope.tenant.vendorName(v.vendorId),
    vendorId: v.vendorId,
    memo: v.memo ?? null,
    vendorPart: v.vendorPart ?? null,
    cost: v.cost,
    active: v.active,
    primarySubAccount: v.primarySubAccount ? sub(v.primarySubAccount, prev?.primarySubAccount) : null,
    otherSubAccounts: v.otherSubAccounts
      ? v.otherSubAccounts.map((s) =>
          sub(
            s,
            prev?.otherSubAccounts?.find((o) => o.accountName === s.accountName),
          ),
        )
      : null,
  };
}

function asset(a: {
  type: AssetType;
  alias?: string | null;
  url: string;
  isDefault?: boolean | null;
}): SkuAsset {
  return {
    alias: a.alias ?? null,
    fileName: a.url.split(/[/?#]/).filter(Boolean).pop() ?? null,
    isDefault: a.isDefault ?? false,
    type: a.type,
    url: a.url,
  };
}

const warranty = (w: WarrantyRequest) => ({ duration: w.duration, description: w.description ?? null });

function convert(
  scope: WriteScope,
  entity: Entity,
  record: AnyRecord,
  name: string,
  value: unknown,
): unknown {
  const vendors = 'primaryVendor' in record ? [record.primaryVendor, ...(record.otherVendors ?? [])] : [];
  switch (name) {
    case 'primaryVendor':
      return vendor(scope, value as VendorRequest, vendors);
    case 'otherVendors':
      return (value as VendorRequest[]).map((v) => vendor(scope, v, vendors));
    case 'assets':
      return (value as Parameters<typeof asset>[0][]).map(asset);
    case 'warranty':
    case 'manufacturerWarranty':
    case 'serviceProviderWarranty':
      return warranty(value as WarrantyRequest);
    case 'dimensions': {
      const d = value as { height?: number | null; width?: number | null; depth?: number | null };
      return { height: d.height ?? null, width: d.width ?? null, depth: d.depth ?? null };
    }
    case 'categories':
      return checkIds(scope, name, 'categories', value as number[]);
    case 'serviceMaterials':
    case 'equipmentMaterials':
      return links(scope, name, 'materials', value);
    case 'serviceEquipment':
      return links(scope, name, 'equipment', value);
    case 'recommendations':
      return entity === 'equipment'
        ? equipmentRecommendations(scope, value)
        : refs(scope, name, ['services', 'materials'], value);
    case 'upgrades':
      return refs(scope, name, [entity === 'equipment' ? 'equipment' : 'services'], value);
    default:
      return Array.isArray(value) ? [...value] : value;
  }
}

/** Every id a record points at (categories, parents, links, recommendations, variations). */
function referencedIds(record: AnyRecord): Set<number> {
  const ids = new Set<number>();
  const add = (value: unknown) => {
    if (typeof value === 'number') ids.add(value);
    else if (Array.isArray(value)) for (const v of value) add(v);
    else if (value && typeof value === 'object' && 'skuId' in value) add(value.skuId);
  };
  const r = record as unknown as Record<string, unknown>;
  for (const key of [
    'categories',
    'parentId',
    'recommendations',
    'upgrades',
    'serviceMaterials',
    'serviceEquipment',
    'equipmentMaterials',
    'variationsOrConfigurableMaterials',
    'variationsOrConfigurableEquipment',
  ]) {
    add(r[key]);
  }
  return ids;
}

/**
 * Applies the fields of a parsed create or update request to `record` (a draft: callers pass a
 * copy, so a rejected request changes nothing). Problems are collected in `scope.errors`.
 */
export function applyFields(
  scope: WriteScope,
  entity: Entity,
  record: AnyRecord,
  fields: RequestFields,
): void {
  const specs = fieldSpecs[entity];
  const target = record as unknown as Record<string, unknown>;
  scope.known = referencedIds(record);
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || !specs[name]) continue;
    if (name === 'variationMaterials' || name === 'variationEquipment') {
      addVariations(scope, record, name, value);
      continue;
    }
    if (!(name in target)) continue; // write-only fields such as intacctGlGroupAccount
    if (value === null) {
      if (specs[name]?.nullable) target[name] = null;
      continue;
    }
    target[name] = convert(scope, entity, record, name, value);
  }
  if (entity === 'categories') checkParent(scope, record as CategoryRecord);
  else finishSku(scope, entity, record);
}

function addVariations(scope: WriteScope, record: AnyRecord, name: string, value: unknown): void {
  if (!Array.isArray(value)) return;
  const entity: SkuEntity = name === 'variationMaterials' ? 'materials' : 'equipment';
  const ids = checkIds(scope, name, entity, value as number[]);
  if ('variationsOrConfigurableMaterials' in record) {
    record.variationsOrConfigurableMaterials = [
      ...new Set([...(record.variationsOrConfigurableMaterials ?? []), ...ids]),
    ];
  } else if ('variationsOrConfigurableEquipment' in record) {
    record.variationsOrConfigurableEquipment = [
      ...new Set([...(record.variationsOrConfigurableEquipment ?? []), ...ids]),
    ];
  }
}

function checkParent(scope: WriteScope, record: CategoryRecord): void {
  if (!record.name.trim()) fail(scope, 'name', 'The Name field is required.');
  // An unchanged parent cannot create a cycle, and may have been deleted since.
  if (record.parentId !== null && scope.known.has(record.parentId)) return;
  let parentId = record.parentId;
  for (let depth = 0; parentId !== null && depth < 100; depth++) {
    if (parentId === record.id) {
      fail(scope, 'parentId', 'A category cannot be its own ancestor.');
      return;
    }
    const parent = lookup(scope, 'categories', parentId);
    if (!parent) {
      fail(scope, 'parentId', `Category with id ${parentId} was not found.`);
      return;
    }
    parentId = parent.parentId;
  }
}

function finishSku(scope: WriteScope, entity: Entity, record: AnyRecord): void {
  if (!('code' in record)) return;
  // typeof: a record corrupted through the control API may hold anything here.
  if (typeof record.code !== 'string' || !record.code.trim()) {
    fail(scope, 'code', 'The Code field is required.');
    return;
  }
  const key = record.code.toLowerCase();
  const owner = scope.tenant.store(entity).codeOwner(record.code);
  const batchOwner = scope.batchCodes.get(`${entity}:${key}`);
  if (
    (owner !== undefined && owner !== record.id) ||
    (batchOwner !== undefined && batchOwner !== record.id)
  ) {
    fail(
      scope,
      'code',
      `The code '${record.code}' is already in use by another ${entityLabels[entity].toLowerCase()}.`,
    );
  } else {
    scope.batchCodes.set(`${entity}:${key}`, record.id);
  }
  const assets = record.assets;
  record.defaultAssetUrl =
    (assets.find((a) => a.isDefault) ?? assets.find((a) => a.type === 'Image'))?.url ?? null;
  if ('serviceMaterials' in record) {
    // Service cost is read-only in ServiceTitan: derived from what the service uses.
    let cost = 0;
    for (const l of record.serviceMaterials)
      cost += (lookup(scope, 'materials', l.skuId)?.cost ?? 0) * l.quantity;
    for (const l of record.serviceEquipment)
      cost += (lookup(scope, 'equipment', l.skuId)?.cost ?? 0) * l.quantity;
    record.cost = Math.round(cost * 100) / 100;
  }
}
