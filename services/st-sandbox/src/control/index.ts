import type { Hono } from 'hono';
import { z } from 'zod';
import { faultConfig } from '../faults';
import { ApiError } from '../problem';
import { parseOrThrow } from '../requests/validate';
import { readOptionalJson } from '../routes/body';
import { type SandboxEnv, type SandboxState, sandboxSettings } from '../state';
import { formatStamp } from '../store/stamp';
import { registerControlCorrupt } from './corrupt';
import { registerControlItems } from './items';
import { registerControlPageShift } from './page-shift';

const clockInput = z.object({
  advanceMs: z.number().int().optional(),
  set: z.string().optional(),
});

const nowBody = (state: SandboxState) => ({ now: formatStamp({ ms: state.clock.now(), ticks: 0 }) });

/**
 * The control API under `/_sandbox`: not part of ServiceTitan, unauthenticated, for tests
 * and demos. `reset` puts everything back to how the process booted.
 */
export function registerControl(app: Hono<SandboxEnv>, state: SandboxState, reset: () => void): void {
  app.get('/_sandbox/health', (c) => c.json({ ok: true, tenants: state.tenants.size }));

  registerControlItems(app, state);
  registerControlCorrupt(app, state);
  registerControlPageShift(app, state);

  app.get('/_sandbox/faults', (c) => c.json(state.faults.get()));
  app.put('/_sandbox/faults', async (c) => {
    state.faults.set(parseOrThrow(faultConfig, await readOptionalJson(c)));
    return c.json(state.faults.get());
  });
  app.get('/_sandbox/tenants/:tenant/faults', (c) => c.json(state.faults.get(c.req.param('tenant'))));
  app.put('/_sandbox/tenants/:tenant/faults', async (c) => {
    const tenantId = c.req.param('tenant');
    state.faults.set(parseOrThrow(faultConfig, await readOptionalJson(c)), tenantId);
    return c.json(state.faults.get(tenantId));
  });

  app.post('/_sandbox/tokens/revoke', (c) => c.json({ revoked: state.tokens.revoke() }));
  app.post('/_sandbox/tenants/:tenant/tokens/revoke', (c) =>
    c.json({ revoked: state.tokens.revoke(c.req.param('tenant')) }),
  );

  app.get('/_sandbox/clock', (c) => c.json(nowBody(state)));
  app.post('/_sandbox/clock', async (c) => {
    const input = parseOrThrow(clockInput, await readOptionalJson(c));
    if (input.set !== undefined) {
      const ms = Date.parse(input.set);
      if (Number.isNaN(ms))
        throw new ApiError(400, 'One or more validation errors occurred.', { set: ['Not a date.'] });
      state.clock.set(ms);
    }
    if (input.advanceMs !== undefined) state.clock.advance(input.advanceMs);
    return c.json(nowBody(state));
  });

  app.get('/_sandbox/settings', (c) => c.json(state.settings));
  app.put('/_sandbox/settings', async (c) => {
    const input = parseOrThrow(sandboxSettings.partial(), await readOptionalJson(c));
    Object.assign(state.settings, input);
    return c.json(state.settings);
  });

  app.get('/_sandbox/stats', (c) => c.json(state.stats.snapshot(state.limiter.stats())));
  app.post('/_sandbox/stats/reset', (c) => {
    state.stats.reset();
    state.limiter.reset();
    return c.body(null, 204);
  });

  app.post('/_sandbox/reset', (c) => {
    reset();
    return c.body(null, 204);
  });
}
