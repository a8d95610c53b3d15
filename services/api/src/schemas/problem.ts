import { z } from '@hono/zod-openapi';
import { errorCodes } from '@pricebook/errors';

const codes = Object.keys(errorCodes) as [keyof typeof errorCodes, ...Array<keyof typeof errorCodes>];

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({ description: 'The field, dot-separated (`entityTypes.0`)' }),
    in: z.enum(['body', 'query', 'path', 'header']),
    message: z.string(),
  })
  .openapi('FieldError');

/** RFC 9457 problem details, as every error of the API is answered. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().openapi({ example: 'https://pricebook-sync.dev/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(codes),
    retry: z.boolean().openapi({ description: 'Whether the same request may succeed later' }),
    instance: z.string().optional().openapi({ description: 'The request path' }),
    requestId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: 'For 400: one entry per bad field' }),
    runningSyncLogId: z.guid().optional().openapi({ description: 'For 409: the sync holding the entity' }),
    entityType: z.string().optional().openapi({ description: 'For 409: the entity already syncing' }),
  })
  .openapi('Problem');

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
    const content = { 'application/problem+json': { schema: ProblemSchema, example } };
    return [status, { description, content }] as const;
  });
  return Object.fromEntries(entries) as Record<
    S,
    {
      description: string;
      content: { 'application/problem+json': { schema: typeof ProblemSchema; example: unknown } };
    }
  >;
}
