import { readFileSync } from 'node:fs';
import { forFile } from '@pricebook/testing/vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let app: ApiApp;
let doc: OpenApi;

type Media = { schema?: { $ref?: string; example?: unknown }; example?: unknown };
type Operation = {
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name?: string; in?: string; $ref?: string }>;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};
type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { example?: unknown }>;
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, { name: string; in: string }>;
  };
};

beforeAll(async () => {
  app = h.app();
  const res = await call<OpenApi>(app, 'GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );

const tenantScoped = (op: Operation) =>
  (op.parameters ?? []).some((p) => p.$ref === '#/components/parameters/PricebookTenant');

function hasExample(media: Media | undefined): boolean {
  if (!media) return false;
  if (media.example !== undefined || media.schema?.example !== undefined) return true;
  const ref = media.schema?.$ref?.replace('#/components/schemas/', '');
  return ref !== undefined && doc.components.schemas[ref]?.example !== undefined;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route the app serves, with its method', () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replaceAll(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(operations().map((o) => `${o.method} ${o.path}`));
    expect([...documented].sort()).toEqual([...served].sort());
    expect([...documented].sort()).toEqual(
      [
        'delete /api/pricebook/{entity}/{id}',
        'delete /api/session',
        'post /api/assistant/chat',
        'get /api/assistant/proposals',
        'get /api/assistant/proposals/{id}',
        'post /api/assistant/proposals/{id}/confirm',
        'post /api/assistant/proposals/{id}/reject',
        'post /api/mcp',
        'get /api/session',
        'post /api/session',
        'post /api/sessions/revoke',
        'get /api/changes',
        'get /api/changesets',
        'get /api/changesets/{id}',
        'post /api/changesets/{id}/revert',
        'post /api/pricebook/{entity}/bulk',
        'get /api/drift',
        'post /api/drift/check',
        'post /api/drift/resync',
        'get /api/pricebook/{entity}',
        'get /api/pricebook/{entity}/{id}',
        'get /api/pricebook/{entity}/{id}/history',
        'get /api/pricebook/{entity}/{id}/similar',
        'get /api/pricebook/search',
        'get /api/sync/pricebook/rejections',
        'post /api/sync/pricebook/rejections/{id}/redrive',
        'post /api/sync/pricebook/rejections/{id}/discard',
        'patch /api/pricebook/{entity}/{id}',
        'post /api/pricebook/{entity}',
        'get /api/sync/pricebook/conflicts',
        'get /api/sync/pricebook/conflicts/{id}',
        'get /api/sync/pricebook/logs',
        'get /api/sync/pricebook/logs/{id}',
        'get /api/sync/pricebook/logs/{id}/events',
        'get /api/sync/pricebook/status',
        'get /asyncapi.json',
        'get /docs',
        'get /healthz',
        'get /metrics',
        'get /openapi.json',
        'get /readyz',
        'post /api/sync/pricebook/full',
        'post /api/sync/pricebook/incremental',
        'post /api/sync/pricebook/resolve-conflict/{id}',
        'post /api/sync/pricebook/scheduler/start',
        'post /api/sync/pricebook/scheduler/stop',
        'get /api/tenants',
        'post /api/tenants',
        'get /api/tenants/{tenantId}',
        'patch /api/tenants/{tenantId}',
        'delete /api/tenants/{tenantId}',
        'post /api/tenants/{tenantId}/pause',
        'post /api/tenants/{tenantId}/resume',
        'post /api/tenants/{tenantId}/test',
        'post /api/tenants/{tenantId}/purge',
        'get /api/webhooks',
        'post /api/webhooks',
        'get /api/webhooks/{id}',
        'patch /api/webhooks/{id}',
        'delete /api/webhooks/{id}',
        'post /api/webhooks/{id}/enable',
        'get /api/webhooks/{id}/deliveries',
        'get /api/webhooks/{id}/deliveries/{deliveryId}/attempts',
        'post /api/webhooks/{id}/deliveries/{deliveryId}/replay',
        'post /api/webhooks/{id}/replay',
      ].sort(),
    );
  });

  it('declares the bearer scheme and puts every /api route behind it', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, op } of operations()) {
      const secured = (op.security ?? []).some((s) => 'bearerAuth' in s);
      // Signing in and out are public by design: the key comes in the body, signing out only clears.
      const publicSession = path === '/api/session' && method !== 'get';
      expect(secured, `${method} ${path}`).toBe(path.startsWith('/api/') && !publicSession);
    }
  });

  it('accepts the session cookie wherever it accepts the bearer key', () => {
    expect(doc.components.securitySchemes.cookieAuth).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'pricebook_session',
    });
    for (const { path, method, op } of operations()) {
      const bearer = (op.security ?? []).some((s) => 'bearerAuth' in s);
      const cookie = (op.security ?? []).some((s) => 'cookieAuth' in s);
      expect(cookie, `${method} ${path}`).toBe(bearer);
    }
  });

  it('takes the Pricebook-Tenant header, declared once, on every tenant-scoped route', () => {
    expect(doc.components.parameters.PricebookTenant).toMatchObject({
      name: 'Pricebook-Tenant',
      in: 'header',
    });
    for (const { path, method, op } of operations()) {
      const secured = (op.security ?? []).some((s) => 'bearerAuth' in s);
      // Sessions and the tenants themselves are about no one tenant.
      const agnostic = path.startsWith('/api/session') || path.startsWith('/api/tenants');
      expect(tenantScoped(op), `${method} ${path}`).toBe(secured && !agnostic);
    }
  });

  it('lists the error responses each operation can give, as problem+json', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method} ${path}`;
      const expected = ['500'];
      if (op.security?.length) expected.push('401', '403');
      if (op.parameters?.length || op.requestBody) expected.push('400');
      // The tenant it names may not exist; a removed tenant takes no change, a paused one no sync.
      if (path.includes('{id}') || path.includes('{tenantId}') || tenantScoped(op)) expected.push('404');
      if (tenantScoped(op) && method !== 'get') expected.push('409');
      // A connection test answers its outcome in a 200, whatever ServiceTitan said.
      const connectionTest = path === '/api/tenants/{tenantId}/test';
      // A tenant or a webhook is changed without If-Match: only a row of the pricebook has a version.
      const tenant = path.startsWith('/api/tenants');
      const unversioned = tenant || path.startsWith('/api/webhooks');
      // Scheduler start/stop flip a switch: nothing to conflict with, but the KV may be unreachable.
      const schedulerControl = path.includes('/scheduler/');
      // Signing in answers 401 for an unknown key and conflicts with nothing.
      const session = path === '/api/session';
      // Ending a key's sessions moves its cutoff forward: nothing to conflict with; the key may not exist.
      const sessionsRevoke = path === '/api/sessions/revoke';
      if (sessionsRevoke) expected.push('404');
      if (method === 'post' && !schedulerControl && !session && !sessionsRevoke && !connectionTest) {
        expected.push('409');
      }
      if (session && method === 'post') expected.push('401');
      // Edits of one row: refused while it is in conflict (409) or not at the If-Match version (412).
      if ((method === 'patch' || method === 'delete') && !session) {
        expected.push('409', ...(unversioned ? [] : ['412']));
      }
      // A bulk edit carries each row's version, as If-Match does for one row.
      if (path.endsWith('/bulk')) expected.push('412');
      // A redrive publishes to NATS while the request waits, as the scheduler switch writes to its KV.
      if (path === '/readyz' || schedulerControl || path.endsWith('/redrive')) expected.push('503');
      // The assistant's chat needs its model configured.
      if (path === '/api/assistant/chat') expected.push('503');
      const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect(errors.sort(), where).toEqual([...new Set(expected)].sort());
      for (const status of errors) {
        const media = op.responses[status]?.content?.['application/problem+json'];
        expect(media?.schema?.$ref, `${where} ${status}`).toBe('#/components/schemas/Problem');
        expect(hasExample(media), `${where} ${status}`).toBe(true);
      }
    }
  });

  it('gives an example for every success response and request body', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) continue;
        if (status === '204') continue;
        const media = Object.values(response.content ?? {});
        expect(media.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const m of media) expect(hasExample(m), `${method} ${path} ${status}`).toBe(true);
      }
      if (op.requestBody) {
        expect(hasExample(op.requestBody.content['application/json']), `${method} ${path} body`).toBe(true);
      }
    }
  });

  it('names every schema component the contracts describe', () => {
    // The schemas live in @pricebook/contracts and carry their component names as zod metadata:
    // a name lost on the way would inline the schema and drop the component.
    expect(Object.keys(doc.components.schemas).sort()).toEqual(
      [
        'Alive',
        'BulkEditBody',
        'ChatBody',
        'ChatStreamEvent',
        'McpRequest',
        'McpResponse',
        'Proposal',
        'ProposalItem',
        'ProposalList',
        'ProposalPlan',
        'ProposalResponse',
        'ProposalToolCall',
        'BulkEditResult',
        'ChangeList',
        'ChangeSet',
        'ChangeSetCounts',
        'ChangeSetDetail',
        'ChangeSetList',
        'Conflict',
        'ConflictDetail',
        'ConflictList',
        'DriftCategoryCounts',
        'DriftCheckResult',
        'DriftEntityCounts',
        'DriftItem',
        'DriftReport',
        'DriftReportResult',
        'DriftResyncResult',
        'DriftState',
        'EntityCounts',
        'FieldError',
        'Page',
        'PlanEntry',
        'PricebookChange',
        'PricebookHistory',
        'PricebookItem',
        'PricebookItemResponse',
        'PricebookList',
        'PricebookRecordBody',
        'PricebookSearchHit',
        'PricebookSearchResponse',
        'PricebookSimilarHit',
        'PricebookSimilarResponse',
        'Problem',
        'QuarantinedRecord',
        'Ready',
        'RedriveResult',
        'Rejection',
        'RejectionList',
        'RejectionStatus',
        'DiscardBody',
        'DiscardResult',
        'ResolveRequest',
        'ResolveResult',
        'RevertBody',
        'RevertResult',
        'RevertedRow',
        'RunningSync',
        'SchedulerControlResult',
        'SchedulerStatus',
        'SearchMode',
        'Session',
        'SessionRequest',
        'SessionRevocation',
        'SessionRevokeRequest',
        'SkippedRow',
        'SyncAccepted',
        'SyncLogDetail',
        'SyncLogList',
        'SyncLogSummary',
        'SyncProgress',
        'SyncRequest',
        'SyncResult',
        'SyncStatus',
        'Tenant',
        'TenantConnectionTest',
        'TenantConnectionTestResponse',
        'TenantCreateRequest',
        'TenantListResponse',
        'TenantPurgeResponse',
        'TenantResponse',
        'TenantSchedule',
        'TenantUpdateRequest',
        'WebhookAttempt',
        'WebhookAttemptList',
        'WebhookCreateRequest',
        'WebhookCreated',
        'WebhookDelivery',
        'WebhookDeliveryList',
        'WebhookDeliveryResponse',
        'WebhookEventType',
        'WebhookList',
        'WebhookReplayRequest',
        'WebhookReplayResponse',
        'WebhookResponse',
        'WebhookSubscription',
        'WebhookUpdateRequest',
      ].sort(),
    );
    const list = doc.components.schemas.ConflictList as { properties: Record<string, { $ref?: string }> };
    expect(list.properties.page?.$ref).toBe('#/components/schemas/Page');
  });

  it('describes the original sync options with their values', () => {
    const body = doc.components.schemas.SyncRequest as {
      properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }>;
      additionalProperties?: boolean;
    };
    expect(Object.keys(body.properties).sort()).toEqual(
      [
        'allowMassChange',
        'allowMassDelete',
        'direction',
        'dryRun',
        'entityTypes',
        'fullSync',
        'resolveConflicts',
      ].sort(),
    );
    expect(body.properties.resolveConflicts?.enum).toEqual(['keep_st', 'keep_local', 'manual']);
    expect(body.properties.entityTypes?.items?.enum).toEqual([
      'categories',
      'materials',
      'services',
      'equipment',
    ]);
    expect(body.additionalProperties).toBe(false);
  });
});

describe('GET /docs', () => {
  it('serves an HTML reference page that renders /openapi.json', async () => {
    const res = await call(app, 'GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(String(res.body)).toContain('data-url="/openapi.json"');
  });

  it('loads nothing from another site: every script and stylesheet it names is served here', async () => {
    const res = await call(app, 'GET', '/docs');
    const html = String(res.body);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls.filter((url) => !url.startsWith('/') && !url.startsWith('data:'))).toEqual([]);
    for (const url of urls.filter((u) => u.startsWith('/docs/assets/'))) {
      const asset = await app.request(url);
      expect(asset.status, url).toBe(200);
      expect((await asset.text()).length, url).toBeGreaterThan(20);
    }
  });
});

describe('GET /asyncapi.json', () => {
  it('serves the AsyncAPI document committed as docs/asyncapi.json, with no key', async () => {
    const res = await call<{ asyncapi: string }>(app, 'GET', '/asyncapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const committed = readFileSync(new URL('../../../../docs/asyncapi.json', import.meta.url), 'utf8');
    expect(res.body).toEqual(JSON.parse(committed));
    expect(res.body.asyncapi).toBe('3.0.0');
  });
});
