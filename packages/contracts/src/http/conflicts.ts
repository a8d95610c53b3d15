import { z } from 'zod';
import { ConflictResolution, ConflictStatus, ConflictType, ResolveStrategy } from '../domain';
import { EntityType } from '../entities';
import { SafeText } from '../limits';
import { Actor, JsonObject } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';
import { Page, PageQuery } from './page';

const conflictId = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f';

/** Longest note a person may leave on a conflict they looked at. */
export const reviewNoteMaxLength = 2000;

/** One conflict: both versions, the base, the disputed fields, and how it was settled. */
export const Conflict = z
  .object({
    id: z.guid(),
    entityType: EntityType,
    recordId: z.guid(),
    stId: z.number().int().nullable(),
    conflictType: ConflictType,
    status: ConflictStatus,
    stVersion: JsonObject.nullable().meta({ description: "ServiceTitan's version (null: ST deleted it)" }),
    localVersion: JsonObject.nullable().meta({ description: 'The local version' }),
    baseVersion: JsonObject.nullable().meta({ description: 'The record as both sides last agreed' }),
    fieldDiff: z
      .record(z.string(), z.object({ base: z.unknown(), st: z.unknown(), local: z.unknown() }))
      .nullable()
      .meta({
        description: 'The fields both sides changed differently: `{ field: { base, st, local } }`',
      }),
    resolution: ConflictResolution.nullable(),
    resolvedData: JsonObject.nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: IsoDateTime.nullable(),
    reviewedBy: z
      .string()
      .nullable()
      .meta({ description: 'Who last looked at the conflict and left it open (strategy `manual`)' }),
    reviewedAt: IsoDateTime.nullable().meta({ description: 'When they did' }),
    reviewNote: z.string().nullable().meta({ description: 'Their note, if they left one' }),
    syncLogId: z.guid().nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Conflict' });
export type Conflict = z.infer<typeof Conflict>;

const before = { id: 48213, code: 'CU-12-10', price: 39.9, modifiedOn: '2025-11-30T09:12:44.0000000Z' };
const conflictExample: Conflict = {
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

/** The query of `GET /conflicts`: unresolved ones by default, with filters. */
export const ConflictsQuery = PageQuery.extend({
  status: ConflictStatus.default('unresolved').meta({
    param: { name: 'status', in: 'query' },
    example: 'unresolved',
  }),
  entityType: EntityType.optional().meta({ param: { name: 'entityType', in: 'query' } }),
  conflictType: ConflictType.optional().meta({ param: { name: 'conflictType', in: 'query' } }),
  since: IsoDateTime.optional().meta({
    param: { name: 'since', in: 'query' },
    description: 'Only conflicts recorded at or after this instant',
  }),
});
export type ConflictsQuery = z.infer<typeof ConflictsQuery>;

/** `GET /conflicts`. */
export const ConflictList = z
  .object({
    success: z.literal(true),
    conflicts: z.array(Conflict),
    total: z.number().int().meta({ description: 'Conflicts matching the filters, on every page' }),
    counts: z
      .object({ unresolved: z.number().int(), resolved: z.number().int(), superseded: z.number().int() })
      .meta({ description: "The tenant's conflicts by status (the other filters applied)" }),
    page: Page,
  })
  .meta({
    id: 'ConflictList',
    example: {
      success: true,
      conflicts: [conflictExample],
      total: 1,
      counts: { unresolved: 1, resolved: 12, superseded: 0 },
      page: { limit: 50, nextCursor: null },
    },
  });
export type ConflictList = z.infer<typeof ConflictList>;

/** The path of `/conflicts/{id}` and `/resolve-conflict/{id}`. */
export const ConflictParams = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: conflictId }),
});
export type ConflictParams = z.infer<typeof ConflictParams>;

/** `GET /conflicts/{id}`. */
export const ConflictResponse = z
  .object({ success: z.literal(true), conflict: Conflict })
  .meta({ id: 'ConflictDetail', example: { success: true, conflict: conflictExample } });
export type ConflictResponse = z.infer<typeof ConflictResponse>;

/** The body of `POST /resolve-conflict/{id}`. */
export const ResolveRequest = z
  .strictObject({
    strategy: ResolveStrategy.meta({
      description:
        '`manual` settles nothing: the conflict stays open for a person, and who looked at it (and when) is recorded',
    }),
    resolvedBy: Actor.meta({ example: 'admin@example.com' }),
    fields: z
      .record(SafeText.min(1).max(200), z.enum(['st', 'local']))
      .optional()
      .meta({
        description: 'For `merge`: the side that wins, per disputed field',
        example: { price: 'local' },
      }),
    values: JsonObject.optional().meta({
      description:
        "For `merge`: values typed by a person, winning over both; each must be a value the entity's " +
        'PATCH accepts (types, decimal range, no NUL), and read-only fields are refused',
    }),
    note: SafeText.max(reviewNoteMaxLength)
      .optional()
      .meta({ description: 'For `manual`: a note for whoever settles the conflict' }),
  })
  .meta({ id: 'ResolveRequest', example: { strategy: 'keep_st', resolvedBy: 'admin@example.com' } });
export type ResolveRequest = z.infer<typeof ResolveRequest>;

/** The query of `POST /resolve-conflict/{id}`. */
export const ResolveQuery = z.object({
  wait: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .meta({
      param: { name: 'wait', in: 'query' },
      description: 'Wait (bounded) for the applier to settle the conflict; `false` answers 202 at once',
    }),
});
export type ResolveQuery = z.infer<typeof ResolveQuery>;

/** What `POST /resolve-conflict/{id}` answers. */
export const ResolveResult = z
  .object({
    success: z.boolean().meta({ description: 'true when the conflict was resolved as asked' }),
    conflictId: z.guid(),
    status: z.enum(['resolved', 'superseded', 'pending', 'unresolved']).meta({
      description:
        '`superseded`: the record changed since, and was re-evaluated; `unresolved`: strategy `manual` left it open',
    }),
    conflict: Conflict,
    supersededBy: z
      .guid()
      .nullable()
      .meta({ description: 'The new conflict opened by a re-evaluation, if the sides still disagree' }),
  })
  .meta({
    id: 'ResolveResult',
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
export type ResolveResult = z.infer<typeof ResolveResult>;
