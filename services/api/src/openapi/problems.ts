import { Problem } from '@pricebook/contracts';

// The problem+json responses as the OpenAPI document shows them: the contracts' `Problem` with one
// example per status. Examples are documentation only, so they stay here at the edge.

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 500 | 503;

const examples: Record<ProblemStatus, { description: string; example: Record<string, unknown> }> = {
  400: {
    description: 'The request is not valid; `errors` names each field',
    example: {
      type: 'https://pricebook-sync.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'the request is not valid: entityTypes.0',
      code: 'validation_failed',
      retry: false,
      instance: '/api/sync/pricebook/full',
      errors: [
        {
          path: 'entityTypes.0',
          in: 'body',
          message: 'Invalid option: expected one of "categories"|"materials"|"services"|"equipment"',
        },
      ],
    },
  },
  401: {
    description: 'No API key, or an unknown one',
    example: {
      type: 'https://pricebook-sync.dev/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      detail: 'an API key is required: Authorization: Bearer <key>',
      code: 'unauthorized',
      retry: false,
    },
  },
  403: {
    description: "The key's role may not do this",
    example: {
      type: 'https://pricebook-sync.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'this operation needs the operator role; the key has viewer',
      code: 'forbidden',
      retry: false,
      requiredRole: 'operator',
    },
  },
  404: {
    description: 'No such resource',
    example: {
      type: 'https://pricebook-sync.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'no sync log 0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d',
      code: 'not_found',
      retry: false,
    },
  },
  409: {
    description: 'A sync of one of the entities is already running',
    example: {
      type: 'https://pricebook-sync.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'a sync of materials is already running (sync 6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a)',
      code: 'conflict',
      retry: false,
      runningSyncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
      entityType: 'materials',
    },
  },
  500: {
    description: 'An unexpected error (logged with the request id)',
    example: {
      type: 'https://pricebook-sync.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred.',
      code: 'internal',
      retry: true,
    },
  },
  503: {
    description: 'A dependency does not answer',
    example: {
      type: 'https://pricebook-sync.dev/problems/unavailable',
      title: 'Service unavailable',
      status: 503,
      detail: 'not ready: nats',
      code: 'unavailable',
      retry: true,
      checks: { database: 'ok', nats: 'down' },
    },
  },
};

/**
 * The documented error responses of a route, each an `application/problem+json` example.
 *
 * @example
 * createRoute({ ..., responses: { 200: ok, ...problemResponses(400, 401, 403, 500) } });
 */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]) {
  const entries = statuses.map((status) => {
    const { description, example } = examples[status];
    const content = { 'application/problem+json': { schema: Problem, example } };
    return [status, { description, content }] as const;
  });
  return Object.fromEntries(entries) as Record<
    S,
    {
      description: string;
      content: { 'application/problem+json': { schema: typeof Problem; example: unknown } };
    }
  >;
}

/** What a tenant-scoped route adds to a status it may already document for its own reasons. */
export const tenantProblems = {
  400: {
    description:
      'The `Pricebook-Tenant` header is not a tenant id, or the key may act for several tenants and names none',
    example: {
      type: 'https://pricebook-sync.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'name the tenant with the Pricebook-Tenant header',
      code: 'validation_failed',
      retry: false,
      errors: [
        { path: 'Pricebook-Tenant', in: 'header', message: 'required: this key may act for several tenants' },
      ],
    },
  },
  403: {
    description: 'The key is not bound to the tenant it names (whether or not that tenant exists)',
    example: {
      type: 'https://pricebook-sync.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'the key may not act for tenant 1002',
      code: 'forbidden',
      retry: false,
      reason: 'tenant',
    },
  },
  404: {
    description: 'No such tenant',
    example: {
      type: 'https://pricebook-sync.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'no tenant 1002',
      code: 'not_found',
      retry: false,
    },
  },
  409: {
    description: 'The tenant is removed (it takes no change), or paused (it starts no sync)',
    example: {
      type: 'https://pricebook-sync.dev/problems/tenant-unavailable',
      title: 'Tenant unavailable',
      status: 409,
      detail: 'tenant 1002 is removed: it takes no change',
      code: 'tenant_unavailable',
      retry: false,
      tenantId: '1002',
      tenantStatus: 'removed',
    },
  },
} as const;

/** 412 is this feature's own status; the shared problem examples do not carry it. */
export const preconditionFailedResponse = {
  412: {
    description: 'The row is not at the `If-Match` version any more',
    content: {
      'application/problem+json': {
        schema: Problem,
        example: {
          type: 'https://pricebook-sync.dev/problems/precondition-failed',
          title: 'Precondition failed',
          status: 412,
          detail: 'the record is at version 5, not 4: read it again and retry',
          code: 'precondition_failed',
          retry: false,
          currentVersion: 5,
        },
      },
    },
  },
};
