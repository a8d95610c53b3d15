import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { armExportEdit } from '../export/hooks';
import { ApiError, notFound } from '../problem';
import { parseOrThrow } from '../requests/validate';
import { createItem, deleteItem, updateItem, updateMany } from '../requests/writes';
import { readJson, readOptionalJson } from '../routes/body';
import type { SandboxEnv, SandboxState } from '../state';
import type { Tenant } from '../store/tenant';
import { type AnyRecord, type Entity, entityLabels, type Stored } from '../store/types';
import { view } from '../store/view';
import { addTenant, tenantInfo } from '../tenants';

const ENTITY = ':entity{(?:categories|materials|services|equipment)}';
const T = '/_sandbox/tenants/:tenant';

const createTenantInput = z.object({
  tenantId: z.union([z.string().regex(/^\d{1,18}$/), z.number().int().positive()]).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  appKey: z.string().min(1).optional(),
  items: z.number().int().min(0).max(500_000).optional(),
  seed: z.number().int().optional(),
});

const exportEditInput = z.object({
  /** Export pages of the entity to serve first (from now on). */
  afterPages: z.number().int().min(1).max(100_000).default(1),
  fields: z.record(z.string(), z.unknown()),
});

const editManyInput = z.object({
  ids: z.array(z.number().int()).min(1),
  fields: z.record(z.string(), z.unknown()),
});

/** A record as tests want to see it: the API shape plus deletion and every app's externalData. */
export function rawItem(tenant: Tenant, entity: Entity, item: Stored<AnyRecord>): Record<string, unknown> {
  return {
    ...view(tenant, entity, item, { extraFields: false, shape: 'write' }),
    deleted: item.deleted,
    externalDataByApp: Object.fromEntries(item.external ?? []),
  };
}

function tenantOf(state: SandboxState, c: Context<SandboxEnv>): Tenant {
  const id = c.req.param('tenant') ?? '';
  const tenant = state.tenants.get(id);
  if (!tenant) throw new ApiError(404, `Tenant ${id} does not exist.`);
  return tenant;
}

let userCounter = 0;

/** Fills what a person in ServiceTitan's UI would have to type, so tests can send less. */
export function withUserDefaults(entity: Entity, body: unknown): unknown {
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? { ...body } : {};
  userCounter++;
  if (entity === 'categories')
    return { name: `Category ${userCounter}`, categoryType: 'Materials', ...fields };
  return { code: `USR-${Date.now().toString(36).toUpperCase()}-${userCounter}`, description: '', ...fields };
}

/** Tenants, and edits made "as a ServiceTitan user" (each bumps modifiedOn on the sandbox clock). */
export function registerControlItems(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.get('/_sandbox/tenants', (c) => c.json({ data: [...state.tenants.values()].map(tenantInfo) }));

  app.post('/_sandbox/tenants', async (c) => {
    const input = parseOrThrow(createTenantInput, await readOptionalJson(c));
    let tenantId = input.tenantId !== undefined ? String(input.tenantId) : '';
    if (!tenantId) {
      let n = 1_000_002;
      while (state.tenants.has(String(n))) n++;
      tenantId = String(n);
    }
    if (state.tenants.has(tenantId)) throw new ApiError(409, `Tenant ${tenantId} already exists.`);
    const clientId = input.clientId ?? `cid.sandbox-${tenantId}`;
    for (const t of state.tenants.values()) {
      if (t.credentials.clientId === clientId)
        throw new ApiError(409, `Client id ${clientId} is already used.`);
    }
    const tenant = addTenant(state, {
      tenantId,
      clientId,
      clientSecret: input.clientSecret ?? `cs1.${randomBytes(12).toString('hex')}`,
      appKey: input.appKey ?? state.defaultTenant?.appKey ?? 'ak1.sandbox',
      items: input.items ?? 0,
      seed: input.seed ?? 1,
    });
    return c.json(tenantInfo(tenant), 201);
  });

  app.delete(T, (c) => {
    const tenant = tenantOf(state, c);
    state.tenants.delete(tenant.id);
    state.tokens.revoke(tenant.id);
    return c.body(null, 204);
  });

  app.get(`${T}/${ENTITY}`, (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const store = tenant.anyStore(entity);
    const items = c.req.query('includeDeleted') === 'true' ? store.all() : store.live();
    return c.json({ data: items.map((i) => rawItem(tenant, entity, i)) });
  });

  app.get(`${T}/${ENTITY}/:id{[0-9]+}`, (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const id = Number(c.req.param('id'));
    const item = tenant.anyStore(entity).get(id);
    if (!item) throw notFound(entityLabels[entity], id);
    return c.json(rawItem(tenant, entity, item));
  });

  app.post(`${T}/${ENTITY}`, async (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const body = withUserDefaults(entity, await readOptionalJson(c));
    return c.json(rawItem(tenant, entity, createItem(tenant, entity, body, state.clock.now())), 201);
  });

  app.patch(`${T}/${ENTITY}`, async (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const input = parseOrThrow(editManyInput, await readJson(c));
    const items = updateMany(tenant, entity, input.ids, input.fields, state.clock.now());
    return c.json({ data: items.map((i) => rawItem(tenant, entity, i)) });
  });

  app.patch(`${T}/${ENTITY}/:id{[0-9]+}`, async (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const item = updateItem(tenant, entity, Number(c.req.param('id')), await readJson(c), state.clock.now());
    return c.json(rawItem(tenant, entity, item));
  });

  app.post(`${T}/${ENTITY}/:id{[0-9]+}/edit-after-export-page`, async (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const id = Number(c.req.param('id'));
    if (!tenant.anyStore(entity).getLive(id)) throw notFound(entityLabels[entity], id);
    const input = parseOrThrow(exportEditInput, await readJson(c));
    const pending = armExportEdit(tenant, entity, { id, fields: input.fields, pagesLeft: input.afterPages });
    return c.json({ armed: { id, afterPages: input.afterPages }, pending }, 201);
  });

  app.post(`${T}/${ENTITY}/:id{[0-9]+}/deactivate`, (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const item = updateItem(tenant, entity, Number(c.req.param('id')), { active: false }, state.clock.now());
    return c.json(rawItem(tenant, entity, item));
  });

  app.delete(`${T}/${ENTITY}/:id{[0-9]+}`, (c) => {
    const tenant = tenantOf(state, c);
    const entity = c.req.param('entity') as Entity;
    const item = deleteItem(tenant, entity, Number(c.req.param('id')), state.clock.now());
    return c.json(rawItem(tenant, entity, item));
  });
}
