import { createRoute } from '@hono/zod-openapi';
import { DriftCheckResponse } from '@pricebook/contracts';
import { publishNow } from '@pricebook/outbox';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { queueDriftCheck } from '../queries/drift';

/**
 * `POST /api/drift/check` (operator): queues a drift check of the tenant (a `queued` report and
 * its `drift.command`, published at once or by the outbox relay) and answers 202 with the report
 * id; `GET /api/drift` shows it once the fetcher has run it.
 *
 * @example
 * registerDriftCheck(app, deps);
 */
export function registerDriftCheck(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'post',
    path: '/api/drift/check',
    tags: ['Drift'],
    summary: 'Check for drift now',
    description:
      "Compares ServiceTitan (every entity's export feed) with the local copy, read only: nothing is synced " +
      'or written to the pricebook. Answers 202 with the report id; the report appears in `GET /api/drift`. ' +
      'Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator', { tenant: 'sync' })] as const,
    responses: {
      202: {
        description: 'The check is queued',
        content: { 'application/json': { schema: DriftCheckResponse } },
      },
      ...problemResponses(401, 403, 409, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = requestTenant(c);
    const principal = c.get('principal');
    const queued = await queueDriftCheck(deps.orm.em.fork(), {
      tenantId,
      trigger: 'operator',
      requestedBy: principal ? `api:${principal.label}` : 'api',
    });
    const log = c.get('log').child({ checkId: queued.checkId });
    await publishNow(deps, queued.command, queued.outboxId, log);
    log.info('drift check queued');
    return c.json({ success: true as const, reportId: queued.checkId, status: 'queued' as const }, 202);
  });
}
