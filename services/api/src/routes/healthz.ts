import { createRoute } from '@hono/zod-openapi';
import { Alive } from '@pricebook/contracts';
import type { ApiApp } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /healthz` (public): the process is alive. Touches nothing else, so an orchestrator never
 * restarts the API because the database is slow.
 *
 * @example
 * registerHealthz(app);
 */
export function registerHealthz(app: ApiApp): void {
  const route = createRoute({
    method: 'get',
    path: '/healthz',
    tags: ['Operations'],
    summary: 'Liveness',
    security: [],
    responses: {
      200: { description: 'Alive', content: { 'application/json': { schema: Alive } } },
      ...problemResponses(500),
    },
  });
  app.openapi(route, (c) => c.json({ status: 'ok' as const }, 200));
}
