import type { ZodType } from 'zod';
import type { ApiApp } from '../context';

export const bearerScheme = 'bearerAuth';

/**
 * Declares the bearer scheme once; routes name it in their `security`.
 *
 * @example
 * registerSecurityScheme(app);
 */
export function registerSecurityScheme(app: ApiApp): void {
  app.openAPIRegistry.registerComponent('securitySchemes', bearerScheme, {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key from `API_KEYS` (`role:key` pairs): `Authorization: Bearer <key>`. Roles: viewer (read), ' +
      'operator (sync, resolve), admin (everything).',
  });
}

/**
 * The OpenAPI 3.1 document of every route registered on `app`, generated from their zod schemas.
 *
 * @example
 * const doc = openApiDocument(app);
 * doc.paths['/api/sync/pricebook/full'].post;
 */
export function openApiDocument(app: ApiApp) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Pricebook Sync Engine API',
      version: '1.0.0',
      description:
        "Keeps a contractor's ServiceTitan pricebook and PostgreSQL in step. Every error is " +
        '`application/problem+json`.',
    },
    tags: [
      { name: 'Sync', description: 'Start syncs and follow them' },
      { name: 'Operations', description: 'Health, readiness and this documentation' },
    ],
  });
}

/**
 * Adds a schema that no route names (the `data` of an event stream) to the document's
 * components, under `name`.
 *
 * @example
 * registerSchema(app, 'SyncProgress', SyncProgress);
 */
export function registerSchema(app: ApiApp, name: string, schema: ZodType): void {
  // The registry names a component through zod-to-openapi's `.openapi`, which a zod schema gets
  // only when it is built after @hono/zod-openapi extended zod; the contracts' may predate that,
  // a clone made now does not.
  app.openAPIRegistry.register(name, schema.clone());
}
