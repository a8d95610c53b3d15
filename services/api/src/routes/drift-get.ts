import { createRoute } from '@hono/zod-openapi';
import { DriftReportResponse } from '@pricebook/contracts';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { driftReports, driftState } from '../queries/drift';

/** Two daily checks: a report older than this is stale unless the deployment says otherwise. */
export const defaultDriftStaleAfterMs = 48 * 3_600_000;

/**
 * `GET /api/drift` (viewer): the tenant's latest finished drift report with its items, the check
 * queued or running now, and the drift state the status endpoint shows.
 *
 * @example
 * registerDriftGet(app, deps);
 */
export function registerDriftGet(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/api/drift',
    tags: ['Drift'],
    summary: 'Get the latest drift report',
    description:
      'The latest finished drift report: per entity type the compared counts and rolling hashes of both ' +
      'sides, the categories whose hashes differ, rows left out as known (pending local edits, open ' +
      'conflicts), and the drifted items (capped at DRIFT_MAX_ITEMS; `driftedCount` counts all). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    responses: {
      200: {
        description: 'The drift report',
        content: { 'application/json': { schema: DriftReportResponse } },
      },
      ...problemResponses(401, 403, 500),
    },
  });
  app.openapi(route, async (c) => {
    const { tenantId } = requestTenant(c);
    const { report, pending } = await driftReports(deps.orm.em.fork(), tenantId);
    const staleAfterMs = deps.config.drift?.staleAfterMs ?? defaultDriftStaleAfterMs;
    return c.json(
      { success: true as const, report, pending, drift: driftState(report, Date.now(), staleAfterMs) },
      200,
    );
  });
}
