import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitFor } from './ports';

// The sandbox is a deployable service, so it only ever runs as its own process and this
// package speaks HTTP to it; importing its code here would blur that boundary.
// Its bundle, as deployments run it (vitest's global setup builds it before any test).
const mainPath = fileURLToPath(new URL('../../../services/st-sandbox/dist/main.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export type SandboxEntity = 'categories' | 'materials' | 'services' | 'equipment';

export interface StartSandboxOptions {
  /** Items generated for the default tenant (0 = empty pricebook). */
  items?: number;
  seed?: number;
  /** Rows per export page (the server's choice in real ServiceTitan). */
  exportPageSize?: number;
  /** Unknown extra fields on records and envelopes; on by default. */
  extraFields?: boolean;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  appKey?: string;
  /** Extra environment for the sandbox process (e.g. `LOG_LEVEL`). */
  env?: Record<string, string>;
}

export interface SandboxTenant {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  counts: Record<SandboxEntity, number>;
}

export interface CreateTenantInput {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  appKey?: string;
  items?: number;
  seed?: number;
}

/** A stored record as ServiceTitan would return it, plus the sandbox's own bookkeeping. */
export type SandboxItem = Record<string, unknown> & {
  id: number;
  active: boolean;
  modifiedOn: string;
  /** True once deleted through the API or the control API (the row stays in the export feed). */
  deleted: boolean;
  /** Every application's externalData, keyed by application GUID. */
  externalDataByApp: Record<string, { key: string; value: string }[]>;
};

export type FaultAction = 'ok' | 'error' | 'rate-limit' | 'truncate' | 'drop' | 'latency';

export interface SandboxFaults {
  /** Share of API requests answered 500/502/503. */
  errorRate?: number;
  /** Share of API requests answered 429 whatever the real rate. */
  rateLimitStormRate?: number;
  /** Share of responses whose JSON body is cut short (status and headers intact). */
  truncateRate?: number;
  /** Share of requests whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Added latency on every affected request, plus up to `latencyJitterMs` more. */
  latencyMs?: number;
  latencyJitterMs?: number;
  /** Tokens issued from now on expire after this many seconds instead of 900. */
  tokenTtlSeconds?: number;
  /** Exact actions for the next requests, consumed one per request before the rates apply. */
  script?: FaultAction[];
  /** Regular expression: faults only hit request paths that match (e.g. `/export/`). */
  pathPattern?: string;
  /** Also hit `POST /connect/token` (off by default). */
  includeAuth?: boolean;
  /** Seed for the fault dice, so a run can be replayed. */
  seed?: number;
}

export interface SandboxSettings {
  exportPageSize?: number;
  /** Rows repeated at the start of the next page when `includeRecentChanges=true`. */
  exportOverlap?: number;
  /** Visibility lag of the export feed without `includeRecentChanges`, in seconds (900). */
  exportLagSeconds?: number;
  extraFields?: boolean;
  rateLimitPerSecond?: number;
  tokenRequestsPerMinute?: number;
}

/** Which items a page shift edits or deletes: these ids, or the first `front` rows of the page just served. */
export type SandboxShiftTarget = { ids: number[] } | { front: number };

/** Writes the sandbox makes right after a list page of `entity` has been served (once). */
export interface SandboxPageShift {
  entity: SandboxEntity;
  /** The list page (1-based) after which the writes happen; default 1. */
  afterPage?: number;
  delete?: SandboxShiftTarget;
  edit?: SandboxShiftTarget & { fields: Record<string, unknown> };
  /** `count` new items with made-up fields, or one per field set in `items`. */
  add?: { count: number } | { items: Record<string, unknown>[] };
}

/** What a page shift did when it went off. */
export interface SandboxFiredShift {
  entity: SandboxEntity;
  page: number;
  at: string;
  deleted: number[];
  edited: number[];
  added: number[];
  /** Targets no longer live when it went off. */
  skipped: number[];
  /** Writes the sandbox refused, as `<kind>: <reason>`. */
  errors: string[];
}

export interface SandboxKeyStats {
  appKey: string;
  tenantId: string;
  accepted: number;
  rejected: number;
  /** Most requests let through in any sliding 1-second window. */
  maxAcceptedPerSecond: number;
  /** Most requests received (accepted or not) in any sliding 1-second window. */
  maxAttemptedPerSecond: number;
}

export interface SandboxStats {
  totalRequests: number;
  byStatus: Record<string, number>;
  /** Keyed by `"<METHOD> <route pattern>"`, e.g. `"GET /pricebook/v2/tenant/:tenant/materials"`. */
  byPath: Record<string, { count: number; byStatus: Record<string, number> }>;
  rateLimited: number;
  tokensIssued: number;
  faultsInjected: Record<string, number>;
  rateLimit: SandboxKeyStats[];
}

export interface SandboxControl {
  /** The tenant this client acts on; `forTenant` gives one for another tenant. */
  readonly tenantId: string;
  forTenant(tenantId: string): SandboxControl;
  createTenant(input?: CreateTenantInput): Promise<SandboxTenant>;
  tenants(): Promise<SandboxTenant[]>;
  createItem(entity: SandboxEntity, fields?: Record<string, unknown>): Promise<SandboxItem>;
  editItem(entity: SandboxEntity, id: number, fields: Record<string, unknown>): Promise<SandboxItem>;
  /** One edit applied to many items at one instant, so they share one `modifiedOn`. */
  editItems(entity: SandboxEntity, ids: number[], fields: Record<string, unknown>): Promise<SandboxItem[]>;
  deactivateItem(entity: SandboxEntity, id: number): Promise<SandboxItem>;
  /**
   * Edits the item as a ServiceTitan user right after the `afterPages`-th page (default 1) of the
   * entity's export feed served from now on: a record that changes while a client pages.
   */
  editAfterExportPage(
    entity: SandboxEntity,
    id: number,
    fields: Record<string, unknown>,
    afterPages?: number,
  ): Promise<void>;
  deleteItem(entity: SandboxEntity, id: number): Promise<SandboxItem>;
  /** Writes `fields` with no validation at all, to serve a record that breaks the contract. */
  corruptItem(entity: SandboxEntity, id: number, fields: Record<string, unknown>): Promise<SandboxItem>;
  item(entity: SandboxEntity, id: number): Promise<SandboxItem>;
  /** Arms a page shift for this tenant (replacing an armed one): it goes off once. */
  armPageShift(shift: SandboxPageShift): Promise<void>;
  /** The armed page shift (null once it went off or was disarmed) and those that went off. */
  pageShifts(): Promise<{ armed: SandboxPageShift | null; fired: SandboxFiredShift[] }>;
  disarmPageShift(): Promise<void>;
  items(entity: SandboxEntity, options?: { includeDeleted?: boolean }): Promise<SandboxItem[]>;
  /** Replaces the faults of this tenant, or the global ones with `{ global: true }`. */
  setFaults(faults: SandboxFaults, options?: { global?: boolean }): Promise<void>;
  clearFaults(): Promise<void>;
  /** Revokes every token issued so far for this tenant (or all tenants with `{ global: true }`). */
  revokeTokens(options?: { global?: boolean }): Promise<number>;
  advanceClock(ms: number): Promise<string>;
  setClock(iso: string): Promise<string>;
  now(): Promise<string>;
  settings(settings: SandboxSettings): Promise<SandboxSettings>;
  stats(): Promise<SandboxStats>;
  resetStats(): Promise<void>;
  /** Back to the boot state: default tenant regenerated, others removed, clock, faults and stats reset. */
  reset(): Promise<void>;
}

export interface StartedSandbox {
  /** `ST_API_BASE_URL`: the origin; the API lives under `/pricebook/v2/tenant/{tenant}`. */
  baseUrl: string;
  /** `ST_AUTH_URL`: the origin; the token endpoint is `${authUrl}/connect/token`. */
  authUrl: string;
  tokenUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  control: SandboxControl;
  stop(): Promise<void>;
}

/** What a ServiceTitan client needs to reach a sandbox tenant (the shape of the client's options). */
export interface SandboxCredentials {
  baseUrl: string;
  authUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
}

/** The sandbox's address and login, without its control handles, e.g. `new StClient(stCredentials(sb))`. */
export function stCredentials(sandbox: SandboxCredentials): SandboxCredentials {
  const { baseUrl, authUrl, tenantId, clientId, clientSecret, appKey } = sandbox;
  return { baseUrl, authUrl, tenantId, clientId, clientSecret, appKey };
}

/** A bearer token for the sandbox's API, got as any client gets one (client credentials). */
export async function sandboxAccessToken(
  sandbox: Pick<StartedSandbox, 'tokenUrl' | 'clientId' | 'clientSecret'>,
): Promise<string> {
  const res = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`sandbox token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * Starts the ServiceTitan sandbox as a separate process on a free port and waits until it
 * answers. Every call gets its own process, so test files never share sandbox state.
 *
 * @example
 * const st = await startSandbox({ items: 500, seed: 7 });
 * await st.control.editItem('materials', id, { price: 12.5 });
 * await st.stop();
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<StartedSandbox> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const tenantId = options.tenantId ?? '1000001';
  const clientId = options.clientId ?? 'cid.sandbox';
  const clientSecret = options.clientSecret ?? 'cs1.sandbox-secret';
  const appKey = options.appKey ?? 'ak1.sandbox';
  const env: Record<string, string> = {
    ...pickEnv(process.env),
    LOG_LEVEL: 'warn',
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SANDBOX_TENANT_ID: tenantId,
    SANDBOX_CLIENT_ID: clientId,
    SANDBOX_CLIENT_SECRET: clientSecret,
    SANDBOX_APP_KEY: appKey,
    SANDBOX_SEED_ITEMS: String(options.items ?? 0),
    SANDBOX_EXTRA_FIELDS: String(options.extraFields ?? true),
  };
  if (options.seed !== undefined) env.SANDBOX_SEED = String(options.seed);
  if (options.exportPageSize !== undefined) env.SANDBOX_EXPORT_PAGE_SIZE = String(options.exportPageSize);

  const child = spawn(process.execPath, [mainPath], {
    cwd: repoRoot,
    env,
    // The IPC channel is only there so the sandbox notices when this process dies and exits too.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.channel?.unref();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`sandbox exited with ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${baseUrl}/_sandbox/health`);
        return res.ok;
      },
      // Seeding takes about 60 µs an item on a quiet machine, several times that on a busy one (a
      // million-item pricebook: one to eight minutes).
      60_000 + (options.items ?? 0) * 0.5,
      `st-sandbox on ${baseUrl}`,
    );
  } catch (error) {
    await stopChild(child);
    throw new Error(`st-sandbox did not start: ${String(error)}\n${stderr}`);
  }

  return {
    baseUrl,
    authUrl: baseUrl,
    tokenUrl: `${baseUrl}/connect/token`,
    tenantId,
    clientId,
    clientSecret,
    appKey,
    control: createSandboxControl(baseUrl, tenantId),
    stop: () => stopChild(child),
  };
}

/** A typed client for the sandbox's `/_sandbox` control API. */
export function createSandboxControl(baseUrl: string, tenantId: string): SandboxControl {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${baseUrl}/_sandbox${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path} failed: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const t = `/tenants/${encodeURIComponent(tenantId)}`;
  return {
    tenantId,
    forTenant: (other) => createSandboxControl(baseUrl, other),
    createTenant: (input = {}) => call('POST', '/tenants', input),
    tenants: async () => (await call<{ data: SandboxTenant[] }>('GET', '/tenants')).data,
    createItem: (entity, fields = {}) => call('POST', `${t}/${entity}`, fields),
    editItem: (entity, id, fields) => call('PATCH', `${t}/${entity}/${id}`, fields),
    editItems: async (entity, ids, fields) =>
      (await call<{ data: SandboxItem[] }>('PATCH', `${t}/${entity}`, { ids, fields })).data,
    deactivateItem: (entity, id) => call('POST', `${t}/${entity}/${id}/deactivate`),
    editAfterExportPage: async (entity, id, fields, afterPages = 1) => {
      await call('POST', `${t}/${entity}/${id}/edit-after-export-page`, { fields, afterPages });
    },
    deleteItem: (entity, id) => call('DELETE', `${t}/${entity}/${id}`),
    corruptItem: (entity, id, fields) => call('POST', `${t}/${entity}/${id}/corrupt`, { fields }),
    item: (entity, id) => call('GET', `${t}/${entity}/${id}`),
    armPageShift: async (shift) => {
      await call('PUT', `${t}/page-shift`, shift);
    },
    pageShifts: () => call('GET', `${t}/page-shift`),
    disarmPageShift: async () => {
      await call('DELETE', `${t}/page-shift`);
    },
    items: async (entity, options = {}) =>
      (
        await call<{ data: SandboxItem[] }>(
          'GET',
          `${t}/${entity}?includeDeleted=${options.includeDeleted === true ? 'true' : 'false'}`,
        )
      ).data,
    setFaults: async (faults, options = {}) => {
      await call('PUT', options.global ? '/faults' : `${t}/faults`, faults);
    },
    clearFaults: async () => {
      await call('PUT', `${t}/faults`, {});
      await call('PUT', '/faults', {});
    },
    revokeTokens: async (options = {}) =>
      (await call<{ revoked: number }>('POST', options.global ? '/tokens/revoke' : `${t}/tokens/revoke`))
        .revoked,
    advanceClock: async (ms) => (await call<{ now: string }>('POST', '/clock', { advanceMs: ms })).now,
    setClock: async (iso) => (await call<{ now: string }>('POST', '/clock', { set: iso })).now,
    now: async () => (await call<{ now: string }>('GET', '/clock')).now,
    settings: (settings) => call('PUT', '/settings', settings),
    stats: () => call('GET', '/stats'),
    resetStats: async () => {
      await call('POST', '/stats/reset');
    },
    reset: async () => {
      await call('POST', '/reset');
    },
  };
}

// Only what a Node process needs to run; the caller's secrets stay out of the sandbox.
function pickEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = source[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
