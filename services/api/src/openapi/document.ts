import type { ZodType } from 'zod';
import type { ApiApp } from '../context';

export const bearerScheme = 'bearerAuth';
export const cookieScheme = 'cookieAuth';

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
  app.openAPIRegistry.registerComponent('securitySchemes', cookieScheme, {
    type: 'apiKey',
    in: 'cookie',
    name: 'pricebook_session',
    description:
      'A console session from `POST /api/session`, with the role of the key it was exchanged for. Every ' +
      "POST, PUT, PATCH and DELETE made with it must also send the session's `X-CSRF-Token`, or it is refused " +
      'with 403.',
  });
}

type Security = Array<Record<string, string[]>>;

/** Every operation a bearer key may call, a session cookie may call too: the document says so once, here. */
function addCookieAuth(paths: Record<string, object>): void {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item) as Array<{ security?: Security }>) {
      if (op.security?.some((s) => bearerScheme in s)) op.security = [...op.security, { [cookieScheme]: [] }];
    }
  }
}

/**
 * The OpenAPI 3.1 document of every route registered on `app`, generated from their zod schemas.
 *
 * @example
 * const doc = openApiDocument(app);
 * doc.paths['/api/sync/pricebook/full'].post;
 */
export function openApiDocument(app: ApiApp) {
  const doc = app.getOpenAPI31Document({
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
      { name: 'Session', description: 'Sign in to the console: a session cookie for an API key' },
      { name: 'Operations', description: 'Health, readiness and this documentation' },
    ],
  });
  addCookieAuth(doc.paths ?? {});
  return doc;
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
