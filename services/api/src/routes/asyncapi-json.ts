import { createRoute, z } from '@hono/zod-openapi';
import { asyncApiDocument } from '@pricebook/contracts';
import type { ApiApp } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /asyncapi.json` (public): the AsyncAPI 3.0 document of the engine's NATS messages (channels,
 * operations, payload schemas, examples), generated from the contracts; the same as the committed
 * `docs/asyncapi.json`.
 *
 * @example
 * registerAsyncApiJson(app);
 */
export function registerAsyncApiJson(app: ApiApp): void {
  const route = createRoute({
    method: 'get',
    path: '/asyncapi.json',
    tags: ['Operations'],
    summary: 'The NATS messages as an AsyncAPI 3.0 document',
    description:
      'Every subject, stream, payload schema (JSON Schema) and example of the events, inbound edits and commands; see docs/events.md.',
    security: [],
    responses: {
      200: {
        description: 'The AsyncAPI document',
        content: {
          'application/json': {
            schema: z.record(z.string(), z.unknown()).openapi({ example: { asyncapi: '3.0.0' } }),
          },
        },
      },
      ...problemResponses(500),
    },
  });
  let document: ReturnType<typeof asyncApiDocument> | undefined;
  app.openapi(route, (c) => {
    document ??= asyncApiDocument();
    return c.json(document, 200);
  });
}
