import { createRoute } from '@hono/zod-openapi';
import { Ready } from '@pricebook/contracts';
import { AppError, type Dependency, dependencyDown } from '@pricebook/errors';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/** A probe that has not answered after this long counts as down, so `/readyz` never hangs. */
const probeTimeoutMs = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), probeTimeoutMs);
  });
  const result = check().then(
    () => 'ok' as const,
    () => 'down' as const,
  );
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /readyz` (public): the database and NATS answer; 503 problem naming what does not
 * (`detail` "Database connection failed" / "Message broker unavailable", `dependency`, `checks`).
 *
 * @example
 * registerReadyz(app, deps);
 */
export function registerReadyz(app: ApiApp, deps: RouteDeps): void {
  const route = createRoute({
    method: 'get',
    path: '/readyz',
    tags: ['Operations'],
    summary: 'Readiness',
    security: [],
    responses: {
      200: { description: 'Ready to serve', content: { 'application/json': { schema: Ready } } },
      ...problemResponses(500, 503),
    },
  });
  app.openapi(route, async (c) => {
    const [database, nats] = await Promise.all([
      probe(() => deps.orm.em.fork().execute('select 1')),
      probe(deps.natsHealth),
    ]);
    if (database !== 'ok' || nats !== 'ok') {
      const down = (['database', 'nats'] as const).filter((d) => ({ database, nats })[d] !== 'ok');
      const first: Dependency = down[0] ?? 'database';
      c.get('log').warn({ database, nats }, 'not ready');
      const detail = down.map((d) => dependencyDown[d]).join('; ');
      throw new AppError('unavailable', detail, {
        dependency: first,
        details: { checks: { database, nats } },
      });
    }
    return c.json({ status: 'ready' as const, checks: { database, nats } }, 200);
  });
}
