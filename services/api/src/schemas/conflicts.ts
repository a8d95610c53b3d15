import { z } from '@hono/zod-openapi';
import { Actor, ConflictType, EntityType, IsoDateTime, SafeText } from '@pricebook/contracts';
import { conflictResolutions, conflictStatuses } from '@pricebook/db';

const conflictId = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f';
const Json = z.record(z.string(), z.unknown());

export const ConflictSchema = z
  .object({
    id: z.guid(),
    entityType: EntityType,
    recordId: z.guid(),
    stId: z.number().int().nullable(),
    conflictType: ConflictType,
    status: z.enum(conflictStatuses),
    stVersion: Json.nullable().openapi({ description: "ServiceTitan's version (null: ST deleted it)" }),
    localVersion: Json.nullable().openapi({ description: 'The local version' }),
    baseVersion: Json.nullable().openapi({ description: 'The record as both sides last agreed' }),
    fieldDiff: z
      .record(z.string(), z.object({ base: z.unknown(), st: z.unknown(), local: z.unknown() }))
      .nullable()
      .openapi({
        description: 'The fields both sides changed differently: `{ field: { base, st, local } }`',
      }),
    resolution: z.enum(conflictResolutions).nullable(),
    resolvedData: Json.nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: IsoDateTime.nullable(),
    reviewedBy: z
      .string()
      .nullable()
      .openapi({ description: 'Who last looked at the conflict and left it open (strategy `manual`)' }),
    reviewedAt: IsoDateTime.nullable().openapi({ description: 'When they did' }),
    reviewNote: z.string().nullable().openapi({ description: 'Their note, if they left one' }),
    syncLogId: z.guid().nullable(),
    createdAt: IsoDateTime,
  })
  .openapi('Conflict');
export type Conflict = z.infer<typeof ConflictSchema>;

const before = { id: 48213, code: 'CU-12-10', price: 39.9, modifiedOn: '2025-11-30T09:12:44.0000000Z' };
export const conflictExample: Conflict = {
  id: conflictId,
  entityType: 'materials',
  recordId: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
  stId: 48213,
  conflictType: 'both_modified',
  status: 'unresolved',
  stVersion: { ...before, price: 42.5, modifiedOn: '2025-12-05T18:22:10.1234567Z' },
  localVersion: { ...before, price: 44 },
  baseVersion: before,
  fieldDiff: { price: { base: 39.9, st: 42.5, local: 44 } },
  resolution: null,
  resolvedData: null,
  resolvedBy: null,
  resolvedAt: null,
  reviewedBy: null,
  reviewedAt: null,
  reviewNote: null,
  syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
  createdAt: '2025-12-06T02:00:12.000Z',
};

export const ConflictsQuerySchema = z.object({
  status: z
    .enum(conflictStatuses)
    .default('unresolved')
    .openapi({ param: { name: 'status', in: 'query' }, example: 'unresolved' }),
  entityType: EntityType.optional().openapi({ param: { name: 'entityType', in: 'query' } }),
  conflictType: ConflictType.optional().openapi({ param: { name: 'conflictType', in: 'query' } }),
  since: IsoDateTime.optional().openapi({
    param: { name: 'since', in: 'query' },
    description: 'Only conflicts recorded at or after this instant',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: SafeText.min(1)
    .max(400)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The `nextCursor` of the previous page',
    }),
});
export type ConflictsQuery = z.infer<typeof ConflictsQuerySchema>;

export const ConflictListSchema = z
  .object({
    success: z.literal(true),
    conflicts: z.array(ConflictSchema),
    total: z.number().int().openapi({ description: 'Conflicts matching the filters, on every page' }),
    counts: z
      .object({ unresolved: z.number().int(), resolved: z.number().int(), superseded: z.number().int() })
      .openapi({ description: "The tenant's conflicts by status (the other filters applied)" }),
    page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }),
  })
  .openapi('ConflictList', {
    example: {
      success: true,
      conflicts: [conflictExample],
      total: 1,
      counts: { unresolved: 1, resolved: 12, superseded: 0 },
      page: { limit: 50, nextCursor: null },
    },
  });

export const ConflictParamsSchema = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: conflictId }),
});

export const ConflictResponseSchema = z
  .object({ success: z.literal(true), conflict: ConflictSchema })
  .openapi('ConflictDetail', { example: { success: true, conflict: conflictExample } });

/** Longest note a person may leave on a conflict they looked at. */
export const reviewNoteMaxLength = 2000;

export const ResolveRequestSchema = z
  .strictObject({
    strategy: z.enum(['keep_st', 'keep_local', 'merge', 'manual']).openapi({
      description:
        '`manual` settles nothing: the conflict stays open for a person, and who looked at it (and when) is recorded',
    }),
    resolvedBy: Actor.meta({ example: 'admin@example.com' }),
    fields: z
      .record(SafeText.min(1).max(200), z.enum(['st', 'local']))
      .optional()
      .openapi({
        description: 'For `merge`: the side that wins, per disputed field',
        example: { price: 'local' },
      }),
    values: Json.optional().openapi({
      description:
        "For `merge`: values typed by a person, winning over both; each must be a value the entity's " +
        'PATCH accepts (types, decimal range, no NUL), and read-only fields are refused',
    }),
    note: SafeText.max(reviewNoteMaxLength)
      .optional()
      .openapi({ description: 'For `manual`: a note for whoever settles the conflict' }),
  })
  .openapi('ResolveRequest', { example: { strategy: 'keep_st', resolvedBy: 'admin@example.com' } });
export type ResolveRequest = z.infer<typeof ResolveRequestSchema>;

export const ResolveQuerySchema = z.object({
  wait: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .openapi({
      param: { name: 'wait', in: 'query' },
      description: 'Wait (bounded) for the applier to settle the conflict; `false` answers 202 at once',
    }),
});

export const ResolveResultSchema = z
  .object({
    success: z.boolean().openapi({ description: 'true when the conflict was resolved as asked' }),
    conflictId: z.guid(),
    status: z.enum(['resolved', 'superseded', 'pending', 'unresolved']).openapi({
      description:
        '`superseded`: the record changed since, and was re-evaluated; `unresolved`: strategy `manual` left it open',
    }),
    conflict: ConflictSchema,
    supersededBy: z
      .guid()
      .nullable()
      .openapi({ description: 'The new conflict opened by a re-evaluation, if the sides still disagree' }),
  })
  .openapi('ResolveResult', {
    example: {
      success: true,
      conflictId,
      status: 'resolved',
      conflict: {
        ...conflictExample,
        status: 'resolved',
        resolution: 'keep_st',
        resolvedData: conflictExample.stVersion,
        resolvedBy: 'admin@example.com',
        resolvedAt: '2025-12-06T09:30:00.000Z',
      },
      supersededBy: null,
    },
  });
export type ResolveResult = z.infer<typeof ResolveResultSchema>;
