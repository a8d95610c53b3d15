import type { Context, Hono } from 'hono';
import { ApiError, notFound } from '../problem';
import { normalizeGuid } from '../requests/external-data';
import { guid as guidSchema } from '../requests/schemas';
import { createItem, deleteItem, updateItem } from '../requests/writes';
import type { SandboxEnv, SandboxState } from '../state';
import { type AnyRecord, type Entity, entityLabels, type Stored } from '../store/types';
import { envelopeJson, rowsJson, view } from '../store/view';
import { readJson } from './body';
import { parseListQuery, queryMap } from './list-params';
import { sortPage } from './sort';

export const API_PREFIX = '/pricebook/v2/tenant/:tenant';
const ENTITY = ':entity{(?:categories|materials|services|equipment)}';

function entityOf(c: Context<SandboxEnv>): Entity {
  return c.req.param('entity') as Entity;
}

function idOf(c: Context<SandboxEnv>): number {
  return Number(c.req.param('id'));
}

/** The application whose externalData a response shows: query parameter, else the body's. */
function appGuid(c: Context<SandboxEnv>, body?: unknown): string | undefined {
  const fromQuery = c.req.query('externalDataApplicationGuid');
  if (fromQuery) {
    if (!guidSchema.safeParse(fromQuery).success) {
      throw new ApiError(400, 'One or more validation errors occurred.', {
        externalDataApplicationGuid: [`The value '${fromQuery}' is not valid.`],
      });
    }
    return normalizeGuid(fromQuery);
  }
  if (body && typeof body === 'object' && 'externalData' in body) {
    const ext = body.externalData;
    if (
      ext &&
      typeof ext === 'object' &&
      'applicationGuid' in ext &&
      typeof ext.applicationGuid === 'string'
    ) {
      return normalizeGuid(ext.applicationGuid);
    }
  }
  return undefined;
}

/** Collects one page from `source` in its own order; counts every match when asked to. */
function paginate(
  source: readonly Stored<AnyRecord>[],
  filter: ((item: Stored<AnyRecord>) => boolean) | undefined,
  page: number,
  pageSize: number,
  countAll: boolean,
): { rows: Stored<AnyRecord>[]; hasMore: boolean; total: number } {
  const skip = (page - 1) * pageSize;
  if (!filter) {
    // Nothing filters: the page is a slice of the ordered array, whatever the tenant's size.
    return {
      rows: source.slice(skip, skip + pageSize),
      hasMore: source.length > skip + pageSize,
      total: source.length,
    };
  }
  const rows: Stored<AnyRecord>[] = [];
  let seen = 0;
  let hasMore = false;
  for (const item of source) {
    if (!filter(item)) continue;
    if (seen >= skip && rows.length < pageSize) rows.push(item);
    else if (seen >= skip) {
      hasMore = true;
      if (!countAll) break;
    }
    seen++;
  }
  return { rows, hasMore, total: seen };
}

/** List, get, create, update and delete for the four pricebook entities (contract §3). */
export function registerCrud(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.get(`${API_PREFIX}/${ENTITY}`, (c) => {
    const tenant = c.get('tenant');
    const entity = entityOf(c);
    const q = parseListQuery(entity, queryMap(c.req.url));
    const store = tenant.anyStore(entity);
    const source = q.ids
      ? [...new Set(q.ids)]
          .sort((a, b) => a - b)
          .map((id) => store.getLive(id))
          .filter((i): i is Stored<AnyRecord> => i !== undefined)
      : store.live();
    const { rows, hasMore, total } = paginate(source, q.filter, q.page, q.pageSize, q.includeTotal);
    if (q.sort) sortPage(rows, q.sort);
    const options = {
      guid: q.guid,
      extraFields: state.settings.extraFields,
      shape: 'get' as const,
      calculatePrices: q.calculatePrices,
    };
    const head = { page: q.page, pageSize: q.pageSize, totalCount: q.includeTotal ? total : null, hasMore };
    const json = envelopeJson(
      head,
      rowsJson(tenant, entity, rows, options),
      state.settings.extraFields ? { _newField: 'sandbox' } : undefined,
    );
    // The page is already rendered: an armed page shift writes now, as a user would between
    // this request and the reader's next one. Look-ups by `ids` are not listings.
    if (!q.ids) state.pageShifts.afterListPage(tenant, entity, q.page, rows, state.clock.now());
    return c.body(json, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.get(`${API_PREFIX}/${ENTITY}/:id{[0-9]+}`, (c) => {
    const tenant = c.get('tenant');
    const entity = entityOf(c);
    const item = tenant.anyStore(entity).getLive(idOf(c));
    if (!item) throw notFound(entityLabels[entity], idOf(c));
    const calculatePrices = /^true$/i.test(c.req.query('calculatePrices') ?? '');
    return c.json(
      view(tenant, entity, item, {
        guid: entity === 'categories' ? undefined : appGuid(c),
        extraFields: state.settings.extraFields,
        shape: 'get',
        calculatePrices,
      }),
    );
  });

  app.post(`${API_PREFIX}/${ENTITY}`, async (c) => {
    const tenant = c.get('tenant');
    const entity = entityOf(c);
    const body = await readJson(c);
    const item = createItem(tenant, entity, body, state.clock.now());
    const options = {
      guid: appGuid(c, body),
      extraFields: state.settings.extraFields,
      shape: 'write' as const,
    };
    return c.json(view(tenant, entity, item, options), 201);
  });

  app.patch(`${API_PREFIX}/${ENTITY}/:id{[0-9]+}`, async (c) => {
    const tenant = c.get('tenant');
    const entity = entityOf(c);
    const body = await readJson(c);
    const item = updateItem(tenant, entity, idOf(c), body, state.clock.now());
    const options = {
      guid: appGuid(c, body),
      extraFields: state.settings.extraFields,
      shape: 'write' as const,
    };
    return c.json(view(tenant, entity, item, options));
  });

  app.delete(`${API_PREFIX}/${ENTITY}/:id{[0-9]+}`, (c) => {
    deleteItem(c.get('tenant'), entityOf(c), idOf(c), state.clock.now());
    return c.body(null, 204);
  });
}
