import { Hono, type MiddlewareHandler } from 'hono';
import { apiGuard, registerOAuth } from './auth';
import { TokenStore } from './auth/tokens';
import { registerBulk } from './bulk';
import { SandboxClock } from './clock';
import { registerControl } from './control';
import { registerExport } from './export';
import { FaultInjector } from './faults';
import { DROPPED_HEADER, faultMiddleware } from './faults/middleware';
import { PageShifts } from './page-shift';
import { ApiError, problemResponse } from './problem';
import { SlidingWindowLimiter } from './rate-limit';
import { API_PREFIX, registerCrud } from './routes/crud';
import {
  defaultSettings,
  type SandboxEnv,
  type SandboxSettings,
  type SandboxState,
  type TenantSpec,
} from './state';
import { Stats } from './stats';
import { addTenant } from './tenants';

export interface SandboxOptions {
  settings?: Partial<SandboxSettings>;
  /** The tenant created at boot and on reset; `false` for none. */
  defaultTenant?: Partial<TenantSpec> | false;
  /** Real-time source of the sandbox clock (tests may pin it). */
  realNow?: () => number;
  /** Monotonic time for throttling (tests pin it so request spacing is exact). */
  monotonicNow?: () => number;
  /** Called with unexpected errors before they become a 500. */
  onError?: (error: unknown) => void;
}

export interface Sandbox {
  app: Hono<SandboxEnv>;
  state: SandboxState;
  /** Back to the boot state: default tenant regenerated, others gone, clock, faults, stats cleared. */
  reset(): void;
}

export const defaultTenantSpec: TenantSpec = {
  tenantId: '1000001',
  clientId: 'cid.sandbox',
  clientSecret: 'cs1.sandbox-secret',
  appKey: 'ak1.sandbox',
  items: 0,
  seed: 1,
};

function statsMiddleware(state: SandboxState): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    await next();
    const status = c.res.headers.has(DROPPED_HEADER) ? 'dropped' : c.res.status;
    state.stats.record(c.req.method, c.req.path, status);
  };
}

/**
 * A ServiceTitan pricebook API simulator: OAuth token endpoint, the four pricebook entities,
 * export feeds, bulk endpoints, throttling and fault injection, plus a `/_sandbox` control API.
 *
 * @example
 * const { app } = createSandbox({ defaultTenant: { items: 100, seed: 7 } });
 * const res = await app.request('/_sandbox/health');
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const initialSettings = { ...defaultSettings, ...options.settings };
  const state: SandboxState = {
    clock: new SandboxClock(options.realNow),
    settings: { ...initialSettings },
    tenants: new Map(),
    tokens: new TokenStore(),
    limiter: new SlidingWindowLimiter(() => state.settings.rateLimitPerSecond, 1000, options.monotonicNow),
    tokenLimiter: new SlidingWindowLimiter(
      () => state.settings.tokenRequestsPerMinute,
      60_000,
      options.monotonicNow,
    ),
    faults: new FaultInjector(),
    pageShifts: new PageShifts(),
    stats: new Stats(),
    defaultTenant:
      options.defaultTenant === false ? undefined : { ...defaultTenantSpec, ...options.defaultTenant },
  };
  const reset = () => {
    state.tenants.clear();
    state.tokens.clear();
    state.faults.clear();
    state.pageShifts.clear();
    state.stats.reset();
    state.limiter.reset();
    state.tokenLimiter.reset();
    state.clock.reset();
    state.settings = { ...initialSettings };
    if (state.defaultTenant) addTenant(state, state.defaultTenant);
  };
  reset();

  const app = new Hono<SandboxEnv>();
  app.onError((error) => {
    if (error instanceof ApiError) return problemResponse(error);
    options.onError?.(error);
    return problemResponse(new ApiError(500, 'An unexpected error occurred.'));
  });
  app.notFound(() => problemResponse(new ApiError(404, 'The resource was not found.')));

  app.use('/connect/*', statsMiddleware(state), faultMiddleware(state, true));
  app.use('/pricebook/*', statsMiddleware(state));
  app.use(`${API_PREFIX}/*`, apiGuard(state), faultMiddleware(state, false));
  registerOAuth(app, state);
  registerCrud(app, state);
  registerExport(app, state);
  registerBulk(app, state);
  registerControl(app, state, reset);
  return { app, state, reset };
}
