import { z } from 'zod';

/**
 * Response envelopes of the ST API. Their `data` stays `unknown[]`: records are validated
 * one by one, so one bad record never fails a whole page.
 */

/**
 * A page of a transactional list endpoint. `totalCount` is optional and never relied on;
 * `hasMore` alone ends the paging.
 *
 * @example
 * const page = StListEnvelope.parse(await response.json());
 */
export const StListEnvelope = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  hasMore: z.boolean(),
  totalCount: z.number().int().nullable().optional(),
  data: z.array(z.unknown()),
});
export type StListEnvelope = z.infer<typeof StListEnvelope>;

/**
 * A batch of an export feed. `continueFrom` is opaque: store it and send it back as `from`.
 *
 * @example
 * const batch = StExportEnvelope.parse(await response.json());
 */
export const StExportEnvelope = z.object({
  hasMore: z.boolean(),
  continueFrom: z.string(),
  data: z.array(z.unknown()),
});
export type StExportEnvelope = z.infer<typeof StExportEnvelope>;

/** ST's documented error body (RFC 7807 `ApiErrorResponse`); every field tolerated as missing. */
export const StProblem = z.looseObject({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.number().nullish(),
  traceId: z.string().nullish(),
  errors: z.record(z.string(), z.unknown()).nullish(),
  data: z.unknown().optional(),
});
export type StProblem = z.infer<typeof StProblem>;

/** The API gateway's (Azure APIM) error body, seen on 401 and 429. */
export const StGatewayError = z.looseObject({ statusCode: z.number(), message: z.string() });
export type StGatewayError = z.infer<typeof StGatewayError>;
