import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp } from '../context';
import { openApiDocument } from '../openapi/document';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /openapi.json` (public): the OpenAPI 3.1 document, generated once on first request (every
 * route is registered by then).
 *
 * @example
 * registerOpenApiJson(app);
 */
export function registerOpenApiJson(app: ApiApp): void {
  const route = createRoute({
    method: 'get',
    path: '/openapi.json',
    tags: ['Operations'],
    summary: 'This API as an OpenAPI 3.1 document',
    security: [],
    responses: {
      200: {
        description: 'The OpenAPI document',
        content: {
          'application/json': {
            schema: z.record(z.string(), z.unknown()).openapi({ example: { openapi: '3.1.0' } }),
          },
        },
      },
      ...problemResponses(500),
    },
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.openapi(route, (c) => {
    document ??= openApiDocument(app);
    return c.json(document, 200);
  });
}
