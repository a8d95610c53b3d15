import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp } from '../context';
import { problemResponses } from '../openapi/problems';

// Everything the page needs comes from this server (offline and locked-down sites are common):
// Swagger UI's browser bundle from its npm package, and a small script that starts it.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Pricebook Sync Engine API</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="api-reference" data-url="/openapi.json"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/start.js"></script>
    <noscript>This page needs JavaScript; the raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
  </body>
</html>
`;

// No validator badge: it would send the document to a public validation service.
const start = `const element = document.getElementById('api-reference');
SwaggerUIBundle({ url: element.dataset.url, domNode: element, deepLinking: true, validatorUrl: null });
`;

const assetTypes: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

/**
 * An asset's file: beside the API's bundle (`dist/assets/`, copied there by the build, since the
 * image has no node_modules), or from its npm package when the API runs from source.
 */
async function readAsset(name: string): Promise<Buffer> {
  const bundled = fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
  return readFile(bundled).catch(() =>
    readFile(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`)),
  );
}

/**
 * `GET /docs` (public): an interactive reference page rendering `/openapi.json`, and the files it
 * loads under `/docs/assets/`.
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

  // Static files, like the console's: served as they are, outside the OpenAPI document.
  const cache = { 'cache-control': 'public, max-age=3600' };
  app.use('/docs/assets/:name', async (c, next) => {
    const name = c.req.param('name');
    if (c.req.method !== 'GET' || name === undefined) return next();
    if (name === 'start.js')
      return c.body(start, 200, { 'content-type': 'text/javascript; charset=utf-8', ...cache });
    const type = assetTypes[name];
    if (type === undefined) return next();
    return c.body(new Uint8Array(await readAsset(name)), 200, { 'content-type': type, ...cache });
  });
}
