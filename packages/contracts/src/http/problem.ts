import { errorCodes } from '@pricebook/errors';
import { z } from 'zod';

const codes = Object.keys(errorCodes) as [keyof typeof errorCodes, ...Array<keyof typeof errorCodes>];

/** One bad field of a 400, and where in the request it was. */
export const FieldError = z
  .object({
    path: z.string().meta({ description: 'The field, dot-separated (`entityTypes.0`)' }),
    in: z.enum(['body', 'query', 'path', 'header']),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export const Problem = z
  .looseObject({
    type: z.string().meta({ example: 'https://pricebook-sync.dev/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(codes),
    retry: z.boolean().meta({ description: 'Whether the same request may succeed later' }),
    instance: z.string().optional().meta({ description: 'The request path' }),
    requestId: z.string().optional(),
    errors: z.array(FieldError).optional().meta({ description: 'For 400: one entry per bad field' }),
    runningSyncLogId: z.guid().optional().meta({ description: 'For 409: the sync holding the entity' }),
    entityType: z.string().optional().meta({ description: 'For 409: the entity already syncing' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
