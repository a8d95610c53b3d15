import type { Context, Hono } from 'hono';
import { pageShiftInput } from '../page-shift';
import { ApiError } from '../problem';
import { parseOrThrow } from '../requests/validate';
import { readJson } from '../routes/body';
import type { SandboxEnv, SandboxState } from '../state';
import type { Tenant } from '../store/tenant';

const PATH = '/_sandbox/tenants/:tenant/page-shift';

function tenantOf(state: SandboxState, c: Context<SandboxEnv>): Tenant {
  const id = c.req.param('tenant') ?? '';
  const tenant = state.tenants.get(id);
  if (!tenant) throw new ApiError(404, `Tenant ${id} does not exist.`);
  return tenant;
}

/**
 * `PUT /_sandbox/tenants/{t}/page-shift` arms a shift (replacing an armed one), `GET` shows the
 * armed one and those that went off, `DELETE` disarms. See `PageShifts`.
 */
export function registerControlPageShift(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.put(PATH, async (c) => {
    const tenant = tenantOf(state, c);
    const shift = parseOrThrow(pageShiftInput, await readJson(c));
    const store = tenant.anyStore(shift.entity);
    const unknown = [...(shift.delete?.ids ?? []), ...(shift.edit?.ids ?? [])].filter(
      (id) => !store.getLive(id),
    );
    if (unknown.length > 0) {
      throw new ApiError(400, 'One or more validation errors occurred.', {
        ids: [`No live ${shift.entity} with id ${unknown.join(', ')}.`],
      });
    }
    state.pageShifts.arm(tenant.id, shift);
    return c.json(state.pageShifts.status(tenant.id));
  });
  app.get(PATH, (c) => c.json(state.pageShifts.status(tenantOf(state, c).id)));
  app.delete(PATH, (c) => {
    state.pageShifts.disarm(tenantOf(state, c).id);
    return c.body(null, 204);
  });
}
