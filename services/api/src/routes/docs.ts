import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp } from '../context';
import { problemResponses } from '../openapi/problems';

// The browser loads the reference UI from a CDN; the server itself never needs the network.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Pricebook Sync Engine API</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1"></script>
    <noscript>This page needs JavaScript; the raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
  </body>
</html>
`;

/**
 * `GET /docs` (public): an interactive reference page rendering `/openapi.json`.
 *
 * @example
 * registerDocs(app);
 */
export function registerDocs(app: ApiApp): void {
  const route = createRoute({
    method: 'get',
    path: '/docs',
    tags: ['Operations'],
    summary: 'Interactive API reference',
    security: [],
    responses: {
      200: {
        description: 'An HTML page that renders /openapi.json',
        content: { 'text/html': { schema: z.string().openapi({ example: '<!doctype html>…' }) } },
      },
      ...problemResponses(500),
    },
  });
  app.openapi(route, (c) => c.html(page, 200));
}
