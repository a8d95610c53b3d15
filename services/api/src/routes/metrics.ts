import { createRoute, z } from '@hono/zod-openapi';
import { createMetrics, driftMetrics } from '@pricebook/observability';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';
import { latestDriftSnapshots } from '../queries/drift';

/**
 * `GET /metrics` (public, like the probes: it holds counts only, no pricebook data): the API
 * process's metrics in Prometheus' text format.
 *
 * @example
 * registerMetrics(app, deps); // deps.metrics from createMetrics({ service: 'api' })
 */
export function registerMetrics(app: ApiApp, deps: RouteDeps): void {
  // Without one from main.ts (tests), a registry of this app's own.
  const metrics = deps.metrics ?? createMetrics({ service: 'api' });
  driftMetrics(metrics, () => latestDriftSnapshots(deps.orm.em.fork()));
  const route = createRoute({
    method: 'get',
    path: '/metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    security: [],
    responses: {
      200: {
        description: 'Prometheus text exposition format 0.0.4',
        content: {
          'text/plain': {
            schema: z.string(),
            example:
              '# HELP pricebook_records_total Records applied to the local pricebook, by operation and entity (counted after commit).\n# TYPE pricebook_records_total counter\npricebook_records_total{operation="created",entity="materials",service="api"} 0\n',
          },
        },
      },
      ...problemResponses(500),
    },
  });
  app.openapi(route, async (c) => {
    const text = await metrics.scrape();
    return c.text(text, 200, { 'content-type': metrics.registry.contentType });
  });
}
