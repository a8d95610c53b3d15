import type { Hono } from 'hono';
import { addError, validationError } from '../problem';
import { applyFields, newScope, throwIfErrors, type WriteScope } from '../requests/apply';
import { newRecord } from '../requests/defaults';
import { externalOnCreate, externalOnUpdate } from '../requests/external-data';
import {
  type ExternalDataCreate,
  type ExternalDataUpdate,
  type RequestFields,
  requestSchema,
} from '../requests/schemas';
import { addIssues } from '../requests/validate';
import { readJson } from '../routes/body';
import { API_PREFIX } from '../routes/crud';
import type { SandboxEnv, SandboxState } from '../state';
import { type AnyRecord, entityLabels, type SkuEntity, type Stored } from '../store/types';

// Materials first, then equipment, then services: each may use the ones before it, and a
// service's read-only cost is derived from the materials and equipment it links.
const groups: SkuEntity[] = ['materials', 'equipment', 'services'];

interface Parsed {
  entity: SkuEntity;
  index: number;
  fields: RequestFields;
}

function parseGroups(scope: WriteScope, body: unknown, mode: 'bulkCreate' | 'bulkUpdate'): Parsed[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError({ request: ['The request field is required.'] });
  }
  const input = body as Record<string, unknown>;
  const out: Parsed[] = [];
  const fees = input.discountAndFees;
  if (Array.isArray(fees) && fees.length) {
    addError(scope.errors, 'DiscountAndFees', 'Discounts and fees are not simulated by the sandbox.');
  }
  for (const entity of groups) {
    const list = input[entity];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      addError(scope.errors, `$.${entity}`, 'The JSON value could not be converted to a list.');
      continue;
    }
    list.forEach((element: unknown, index) => {
      const result = requestSchema(entity, mode).safeParse(element);
      if (result.success) out.push({ entity, index, fields: result.data });
      else addIssues(scope.errors, result.error.issues, element, [entity, index]);
    });
  }
  throwIfErrors(scope);
  return out;
}

const label = (p: Parsed) => `${p.entity.charAt(0).toUpperCase()}${p.entity.slice(1)}[${p.index}].`;

/** Bulk create and update (contract §6). Both are all-or-nothing and share one `modifiedOn`. */
export function registerBulk(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.post(`${API_PREFIX}/pricebook`, async (c) => {
    const tenant = c.get('tenant');
    const scope = newScope(tenant);
    const body = await readJson(c);
    const parsed = parseGroups(scope, body, 'bulkCreate');
    const records = parsed.map((p) => {
      const record = newRecord(p.entity, tenant.newId());
      const customId = p.fields.customId;
      if (typeof customId === 'string') {
        const key = `${p.entity}:${customId}`;
        if (scope.customIds.has(key))
          addError(scope.errors, `${label(p)}CustomId`, `Duplicate customId '${customId}'.`);
        scope.customIds.set(key, record.id);
      }
      scope.pending.set(record.id, { entity: p.entity, data: record });
      return record;
    });
    parsed.forEach((p, i) => {
      const record = records[i];
      if (!record) return;
      scope.prefix = label(p);
      applyFields(scope, p.entity, record, p.fields);
    });
    throwIfErrors(scope);
    const stamp = tenant.stamps.next(state.clock.now());
    const result: Record<string, { customId: string; id: number }[]> = {};
    for (const entity of groups)
      if (Array.isArray((body as Record<string, unknown>)[entity])) result[entity] = [];
    parsed.forEach((p, i) => {
      const record = records[i];
      if (!record) return;
      tenant
        .anyStore(p.entity)
        .insert(
          record,
          stamp,
          externalOnCreate(p.fields.externalData as ExternalDataCreate | null | undefined),
        );
      const customId = p.fields.customId;
      if (typeof customId === 'string') result[p.entity]?.push({ customId, id: record.id });
    });
    return c.json(result, 201);
  });

  app.patch(`${API_PREFIX}/pricebook`, async (c) => {
    const tenant = c.get('tenant');
    const scope = newScope(tenant);
    const parsed = parseGroups(scope, await readJson(c), 'bulkUpdate');
    const targets: { p: Parsed; item: Stored<AnyRecord>; draft: AnyRecord }[] = [];
    for (const p of parsed) {
      const id = Number(p.fields.id);
      const item = tenant.anyStore(p.entity).getLive(id);
      if (!item) {
        addError(scope.errors, `${label(p)}Id`, `${entityLabels[p.entity]} with id ${id} was not found.`);
        continue;
      }
      if (scope.pending.has(id)) {
        addError(scope.errors, `${label(p)}Id`, `Id ${id} appears more than once.`);
        continue;
      }
      const draft = { ...item.data };
      scope.pending.set(id, { entity: p.entity, data: draft });
      targets.push({ p, item, draft });
    }
    for (const t of targets) {
      scope.prefix = label(t.p);
      applyFields(scope, t.p.entity, t.draft, t.p.fields);
    }
    throwIfErrors(scope);
    const stamp = tenant.stamps.next(state.clock.now());
    for (const { p, item, draft } of targets) {
      const oldCode = 'code' in item.data ? item.data.code : undefined;
      item.data = draft;
      item.external = externalOnUpdate(
        item.external,
        p.fields.externalData as ExternalDataUpdate | null | undefined,
      );
      tenant.anyStore(p.entity).touch(item, stamp, oldCode);
    }
    return c.body(null, 200);
  });
}
