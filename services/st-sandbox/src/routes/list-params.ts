import { addError, type FieldErrors, validationError } from '../problem';
import { normalizeGuid } from '../requests/external-data';
import { guid } from '../requests/schemas';
import { compareStamp, parseDateParam, type Stamp } from '../store/stamp';
import type { AnyRecord, Entity, Stored } from '../store/types';

export interface ListQuery {
  page: number;
  pageSize: number;
  includeTotal: boolean;
  active: 'True' | 'Any' | 'False';
  ids: number[] | undefined;
  sort: { field: string; descending: boolean } | undefined;
  guid: string | undefined;
  calculatePrices: boolean;
  /** Every other filter, folded into one predicate; undefined when nothing filters. */
  filter: ((item: Stored<AnyRecord>) => boolean) | undefined;
}

const skuSorts = [
  'Id',
  'Code',
  'DisplayName',
  'CreatedOn',
  'ModifiedOn',
  'Price',
  'MemberPrice',
  'AddOnPrice',
  'AddOnMemberPrice',
  'MaterialsCost',
  'PrimaryVendor',
  'Cost',
  'Manufacturer',
  'Priority',
];
const sortFields: Record<Entity, string[]> = {
  categories: ['Id', 'Name'],
  materials: skuSorts,
  services: skuSorts,
  equipment: skuSorts,
};

/** Query parameters by lower-case name: ASP.NET binds them case-insensitively. */
export function queryMap(url: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URL(url).searchParams) out.set(k.toLowerCase(), v);
  return out;
}

function parseBool(q: Map<string, string>, name: string, errors: FieldErrors): boolean | undefined {
  const v = q.get(name.toLowerCase());
  if (v === undefined || v === '') return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  addError(errors, name, `The value '${v}' is not valid for ${name}.`);
  return undefined;
}

function parseInt32(
  q: Map<string, string>,
  name: string,
  errors: FieldErrors,
  fallback: number,
  min: number,
  max: number,
) {
  const v = q.get(name.toLowerCase());
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n)) {
    addError(errors, name, `The value '${v}' is not valid for ${name}.`);
    return fallback;
  }
  if (n < min || n > max) addError(errors, name, `The field ${name} must be between ${min} and ${max}.`);
  return n;
}

function parseIdList(
  q: Map<string, string>,
  name: string,
  errors: FieldErrors,
  max: number,
): number[] | undefined {
  const v = q.get(name.toLowerCase());
  if (v === undefined || v.trim() === '') return undefined;
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) {
    addError(errors, name, `The value '${v}' is not valid for ${name}.`);
    return undefined;
  }
  if (parts.length > max) addError(errors, name, `The maximum number of ${name} is ${max}.`);
  return parts.map(Number);
}

function parseDate(q: Map<string, string>, name: string, errors: FieldErrors): Stamp | undefined {
  const v = q.get(name.toLowerCase());
  if (v === undefined || v === '') return undefined;
  const s = parseDateParam(v);
  if (!s) addError(errors, name, `The value '${v}' is not valid for ${name}.`);
  return s;
}

/** Parses a list request's query string, or throws a 400 listing every bad parameter. */
export function parseListQuery(entity: Entity, q: Map<string, string>): ListQuery {
  const errors: FieldErrors = {};
  const sku = entity !== 'categories';
  const page = parseInt32(q, 'page', errors, 1, 1, 2147483647);
  const pageSize = parseInt32(q, 'pageSize', errors, 50, 1, 5000);
  const includeTotal = parseBool(q, 'includeTotal', errors) ?? false;
  const activeText = q.get('active') ?? 'True';
  const active = (['True', 'Any', 'False'] as const).find(
    (a) => a.toLowerCase() === activeText.toLowerCase(),
  );
  if (!active) addError(errors, 'active', `The value '${activeText}' is not valid for Active.`);

  let sort: ListQuery['sort'];
  const sortText = q.get('sort');
  if (sortText) {
    const m = /^([+-]?)\s*(\w+)$/.exec(sortText.trim());
    const field = m ? sortFields[entity].find((f) => f.toLowerCase() === m[2]?.toLowerCase()) : undefined;
    if (!m || !field) addError(errors, 'sort', `Sorting by '${sortText}' is not supported.`);
    else sort = { field, descending: m[1] === '-' };
  }

  const created = [parseDate(q, 'createdBefore', errors), parseDate(q, 'createdOnOrAfter', errors)] as const;
  const modified = [
    parseDate(q, 'modifiedBefore', errors),
    parseDate(q, 'modifiedOnOrAfter', errors),
  ] as const;
  const ids = sku ? parseIdList(q, 'ids', errors, 50) : undefined;
  const categoryTypeText = entity === 'categories' ? q.get('categorytype') : undefined;
  const categoryType = categoryTypeText
    ? (['Services', 'Materials'] as const).find((t) => t.toLowerCase() === categoryTypeText.toLowerCase())
    : undefined;
  if (categoryTypeText && !categoryType)
    addError(errors, 'categoryType', `The value '${categoryTypeText}' is not valid.`);

  const guidText = sku ? q.get('externaldataapplicationguid') : undefined;
  if (guidText && !guid.safeParse(guidText).success) {
    addError(errors, 'externalDataApplicationGuid', `The value '${guidText}' is not valid.`);
  }
  const appGuid = guidText && guid.safeParse(guidText).success ? normalizeGuid(guidText) : undefined;
  const extKey = sku ? q.get('externaldatakey') : undefined;
  const extValues = sku ? q.get('externaldatavalues') : undefined;
  if ((extKey || extValues) && !appGuid) {
    addError(
      errors,
      'externalDataApplicationGuid',
      'externalDataApplicationGuid is required to filter by external data.',
    );
  }
  const searchText = sku ? q.get('searchtext') : undefined;
  if (searchText !== undefined && (searchText.length < 2 || searchText.length > 200)) {
    addError(
      errors,
      'searchText',
      'The field searchText must be a string with a minimum length of 2 and a maximum length of 200.',
    );
  }
  const isOtherDirectCost = entity === 'materials' ? parseBool(q, 'isOtherDirectCost', errors) : undefined;
  const costTypeIds = entity === 'materials' ? parseIdList(q, 'costTypeIds', errors, 1000) : undefined;
  const calculatePrices = entity === 'services' ? (parseBool(q, 'calculatePrices', errors) ?? false) : false;
  if (Object.keys(errors).length) throw validationError(errors);

  const tests: ((item: Stored<AnyRecord>) => boolean)[] = [];
  if (active === 'True') tests.push((i) => i.data.active);
  if (active === 'False') tests.push((i) => !i.data.active);
  const [cBefore, cAfter] = created;
  const [mBefore, mAfter] = modified;
  if (cBefore) tests.push((i) => compareStamp(i.created, cBefore) < 0);
  if (cAfter) tests.push((i) => compareStamp(i.created, cAfter) >= 0);
  if (mBefore) tests.push((i) => compareStamp(i.modified, mBefore) < 0);
  if (mAfter) tests.push((i) => compareStamp(i.modified, mAfter) >= 0);
  if (categoryType) tests.push((i) => 'categoryType' in i.data && i.data.categoryType === categoryType);
  if (appGuid && (extKey || extValues)) {
    const values = extValues ? new Set(extValues.split(',').map((v) => v.trim())) : undefined;
    tests.push((i) =>
      (i.external?.get(appGuid) ?? []).some(
        (e) => (!extKey || e.key === extKey) && (!values || values.has(e.value)),
      ),
    );
  }
  if (searchText) {
    const needle = searchText.toLowerCase();
    tests.push((i) => {
      const d = i.data;
      if (!('code' in d)) return false;
      return (
        // String(): records corrupted through the control API may hold non-strings.
        String(d.code).toLowerCase().includes(needle) ||
        String(d.displayName ?? '')
          .toLowerCase()
          .includes(needle) ||
        String(d.description).toLowerCase().includes(needle)
      );
    });
  }
  if (isOtherDirectCost !== undefined) {
    tests.push((i) => 'isOtherDirectCost' in i.data && i.data.isOtherDirectCost === isOtherDirectCost);
  }
  if (costTypeIds) {
    const set = new Set(costTypeIds);
    tests.push((i) => 'costTypeId' in i.data && i.data.costTypeId !== null && set.has(i.data.costTypeId));
  }
  const filter = tests.length ? (item: Stored<AnyRecord>) => tests.every((t) => t(item)) : undefined;
  return {
    page,
    pageSize,
    includeTotal,
    active: active ?? 'True',
    ids,
    sort,
    guid: appGuid,
    calculatePrices,
    filter,
  };
}
