import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@pricebook/errors';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { KeyRing, type Role } from './auth/api-keys';
import type { Authenticator } from './auth/authenticate';
import { createGuard } from './auth/guard';
import { pgSessionRevocations } from './auth/session-revocations';
import { SessionSigner, sessionSecret } from './auth/session-token';
import { consolePath, serveConsole } from './console/serve-console';
import type { ApiApp, AppDeps, AppEnv, GuardOptions, RouteDeps } from './context';
import { handleError, notFound, validationHook } from './errors/handle-error';
import { registerSecurityScheme } from './openapi/document';
import { registerAssistantChat } from './routes/assistant-chat';
import { registerAssistantProposals } from './routes/assistant-proposals';
import { registerAssistantProposalDecisions } from './routes/assistant-proposals-decide';
import { registerAsyncApiJson } from './routes/asyncapi-json';
import { registerChangesList } from './routes/changes-list';
import { registerChangeSetsGet } from './routes/changesets-get';
import { registerChangeSetsList } from './routes/changesets-list';
import { registerChangeSetsRevert } from './routes/changesets-revert';
import { registerConflictsGet } from './routes/conflicts-get';
import { registerConflictsList } from './routes/conflicts-list';
import { registerConflictsResolve } from './routes/conflicts-resolve';
import { registerDocs } from './routes/docs';
import { registerDriftCheck } from './routes/drift-check';
import { registerDriftGet } from './routes/drift-get';
import { registerDriftResync } from './routes/drift-resync';
import { registerHealthz } from './routes/healthz';
import { registerMcp } from './routes/mcp';
import { registerMetrics } from './routes/metrics';
import { registerOpenApiJson } from './routes/openapi-json';
import { registerPricebookBulk } from './routes/pricebook-bulk';
import { registerPricebookCreate } from './routes/pricebook-create';
import { registerPricebookDelete } from './routes/pricebook-delete';
import { registerPricebookGet } from './routes/pricebook-get';
import { registerPricebookHistory } from './routes/pricebook-history';
import { registerPricebookList } from './routes/pricebook-list';
import { registerPricebookRejections } from './routes/pricebook-rejections';
import { registerPricebookSearch } from './routes/pricebook-search';
import { registerPricebookSimilar } from './routes/pricebook-similar';
import { registerPricebookUpdate } from './routes/pricebook-update';
import { registerReadyz } from './routes/readyz';
import { registerRejectionsDiscard } from './routes/rejections-discard';
import { registerRejectionsRedrive } from './routes/rejections-redrive';
import { registerSchedulerControl } from './routes/scheduler-control';
import { registerSessionCreate } from './routes/session-create';
import { registerSessionDelete } from './routes/session-delete';
import { registerSessionGet } from './routes/session-get';
import { registerSessionsRevoke } from './routes/sessions-revoke';
import { registerSyncFull } from './routes/sync-full';
import { registerSyncIncremental } from './routes/sync-incremental';
import { registerSyncLog } from './routes/sync-log';
import { registerSyncLogEvents } from './routes/sync-log-events';
import { registerSyncLogs } from './routes/sync-logs';
import { registerSyncStatus } from './routes/sync-status';
import { registerTenantsCreate } from './routes/tenants-create';
import { registerTenantsGet } from './routes/tenants-get';
import { registerTenantsList } from './routes/tenants-list';
import { registerTenantsPurge } from './routes/tenants-purge';
import { registerTenantsRemove } from './routes/tenants-remove';
import { registerTenantsStatus } from './routes/tenants-status';
import { registerTenantsTest } from './routes/tenants-test';
import { registerTenantsUpdate } from './routes/tenants-update';
import { registerWebhooks } from './routes/webhooks';
import { WebhookSubscriptions } from './webhooks/subscriptions';

/** A console session lasts a working day unless configured otherwise. */
const defaultSessionTtlMs = 8 * 3_600_000;

/** Sync options are a few hundred bytes; anything near this is not a sync request. */
const maxBodyBytes = 64 * 1024;

function requestLog(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const log = deps.log.child({ requestId: c.get('requestId') });
    c.set('log', log);
    await next();
    // Only method, path and outcome: never headers (the API key) or bodies.
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
        principal: c.get('principal')?.label,
        tenantId: c.get('tenant')?.tenantId,
      },
      'request completed',
    );
  };
}

/**
 * The HTTP API as a Hono app, with no server attached: `main.ts` serves it, tests call
 * `app.request()`.
 *
 * @example
 * const app = createApp({ orm, publish, config, log, natsHealth });
 * const res = await app.request('/api/sync/pricebook/status', { headers: { authorization: `Bearer ${key}` } });
 */
export function createApp(deps: AppDeps): ApiApp {
  const { apiKeys, session } = deps.config;
  const auth: Authenticator = {
    ring: new KeyRing(apiKeys),
    sessions: new SessionSigner(sessionSecret(session?.secret, apiKeys)),
    sessionTtlMs: session?.ttlMs ?? defaultSessionTtlMs,
    revocations: pgSessionRevocations(deps.orm),
  };
  const routeDeps: RouteDeps = {
    ...deps,
    auth,
    guard: (role: Role, options?: GuardOptions) => createGuard(auth, deps.tenants, role, options),
    webhooks: new WebhookSubscriptions(deps.orm, {
      box: deps.webhookSecrets,
      guard: { allowPrivate: deps.config.webhooks?.allowPrivateUrls ?? false },
    }),
  };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(handleError);
  app.notFound(notFound);
  app.use('*', requestId(), requestLog(deps), secureHeaders());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new AppError('validation_failed', `the request body is larger than ${maxBodyBytes} bytes`);
      },
    }),
  );
  registerSecurityScheme(app);
  registerSessionCreate(app, routeDeps);
  registerSessionGet(app, routeDeps);
  registerSessionDelete(app, routeDeps);
  registerSessionsRevoke(app, routeDeps);
  registerSyncFull(app, routeDeps);
  registerSyncIncremental(app, routeDeps);
  registerSyncStatus(app, routeDeps);
  registerSchedulerControl(app, routeDeps);
  registerDriftCheck(app, routeDeps);
  registerDriftGet(app, routeDeps);
  registerDriftResync(app, routeDeps);
  registerSyncLogs(app, routeDeps);
  registerSyncLog(app, routeDeps);
  registerSyncLogEvents(app, routeDeps);
  // Before `/api/pricebook/{entity}`, whose `{entity}` would take `search`.
  registerPricebookSearch(app, routeDeps);
  registerPricebookList(app, routeDeps);
  registerPricebookGet(app, routeDeps);
  registerPricebookSimilar(app, routeDeps);
  registerPricebookHistory(app, routeDeps);
  registerChangesList(app, routeDeps);
  registerChangeSetsList(app, routeDeps);
  registerChangeSetsGet(app, routeDeps);
  registerChangeSetsRevert(app, routeDeps);
  registerPricebookCreate(app, routeDeps);
  registerPricebookBulk(app, routeDeps);
  registerPricebookUpdate(app, routeDeps);
  registerPricebookDelete(app, routeDeps);
  registerPricebookRejections(app, routeDeps);
  registerRejectionsRedrive(app, routeDeps);
  registerRejectionsDiscard(app, routeDeps);
  registerAssistantChat(app, routeDeps);
  registerAssistantProposals(app, routeDeps);
  registerAssistantProposalDecisions(app, routeDeps);
  registerMcp(app, routeDeps);
  registerConflictsList(app, routeDeps);
  registerConflictsGet(app, routeDeps);
  registerConflictsResolve(app, routeDeps);
  registerTenantsList(app, routeDeps);
  registerTenantsGet(app, routeDeps);
  registerTenantsCreate(app, routeDeps);
  registerTenantsUpdate(app, routeDeps);
  registerWebhooks(app, routeDeps);
  registerTenantsStatus(app, routeDeps);
  registerTenantsRemove(app, routeDeps);
  registerTenantsPurge(app, routeDeps);
  registerTenantsTest(app, routeDeps);
  registerHealthz(app);
  registerReadyz(app, routeDeps);
  registerMetrics(app, routeDeps);
  registerOpenApiJson(app);
  registerAsyncApiJson(app);
  registerDocs(app);
  // The console is a web app, not part of the API: served as files, outside the OpenAPI document.
  const console = serveConsole(deps.config.consoleDir);
  app.use(consolePath, console);
  app.use(`${consolePath}/*`, console);
  return app;
}
