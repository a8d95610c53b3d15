import type { Hono } from 'hono';
import { z } from 'zod';
import { ApiError, notFound } from '../problem';
import { parseOrThrow } from '../requests/validate';
import { readJson } from '../routes/body';
import type { SandboxEnv, SandboxState } from '../state';
import { type AnyRecord, type Entity, entityLabels } from '../store/types';
import { rawItem } from './items';

const corruptInput = z.object({ fields: z.record(z.string(), z.unknown()) });

/**
 * `POST /_sandbox/tenants/{t}/{entity}/{id}/corrupt {fields}`: writes the given values onto a
 * stored record with no validation at all (wrong types, nulls in required fields, a
 * `modifiedOn` that is not a date) so clients can prove they survive a record that breaks
 * the contract. The record moves to the end of the export feed like any other write.
 */
export function registerControlCorrupt(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.post(
    '/_sandbox/tenants/:tenant/:entity{(?:categories|materials|services|equipment)}/:id{[0-9]+}/corrupt',
    async (c) => {
      const tenant = state.tenants.get(c.req.param('tenant') ?? '');
      if (!tenant) throw new ApiError(404, `Tenant ${c.req.param('tenant')} does not exist.`);
      const entity = c.req.param('entity') as Entity;
      const id = Number(c.req.param('id'));
      const store = tenant.anyStore(entity);
      const item = store.getLive(id);
      if (!item) throw notFound(entityLabels[entity], id);
      const { fields } = parseOrThrow(corruptInput, await readJson(c));
      const oldCode = 'code' in item.data ? item.data.code : undefined;
      // Breaking the record's type is the point of this hook.
      item.data = { ...item.data, ...fields, id } as AnyRecord;
      // The export order and date filters keep using the real write time; the record itself
      // shows whatever was written, a bad modifiedOn included.
      store.touch(item, tenant.stamps.next(state.clock.now()), oldCode);
      if ('modifiedOn' in fields) Object.assign(item.data, { modifiedOn: fields.modifiedOn });
      return c.json(rawItem(tenant, entity, item));
    },
  );
}
