import type { Message } from './catalog';
import type { MessageType } from './subjects';

const tenant = '1001';
const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';
const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';
const conflictId = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f';
/** Commands written to the outbox take their id from their outbox row. */
const outboxId = '2a7d9c1e-4b3f-4e8a-9d6c-1f0e2b3a4c5d';
const resolveId = `resolve:${conflictId}:${outboxId}`;
const at = '2025-12-06T02:00:05.000Z';
const hash = '9c1185a5c5e9fc54612808977ee8f548b2258d31';
const stats = { fetched: 1250, created: 15, updated: 43, deleted: 2, skipped: 1190, conflicts: 0, errors: 0 };
const material = {
  id: 48213,
  code: 'CU-12-10',
  displayName: '1/2" copper pipe, 10 ft',
  cost: 18.4,
  price: 42.5,
  active: true,
  modifiedOn: '2025-12-05T18:22:10.1234567Z',
};
const before = { ...material, price: 39.9, modifiedOn: '2025-11-30T09:12:44.0000000Z' };

const base = { version: 1, tenant, occurredAt: at } as const;
/** The one record every `record.*` example is about. */
const theMaterial = { entity: 'materials', recordId, stId: 48213 } as const;
/** A record event the applier wrote while applying the sync's decision about that record. */
const fromDecision = {
  correlationId: syncLogId,
  causationId: `${syncLogId}:materials:48213:2025-12-05T18:22:10.1234567Z:decided`,
} as const;

/**
 * One valid example of every message type, as documented in `docs/events.md`. Tests hold
 * the catalog to them; integrators may use them as fixtures.
 */
export const exampleMessages: { [K in MessageType]: Message<K> } = {
  'sync.command': {
    ...base,
    id: `sync:${syncLogId}`,
    type: 'sync.command',
    correlationId: syncLogId,
    causationId: null,
    data: {
      syncLogId,
      direction: 'bidirectional',
      entityTypes: ['categories', 'materials'],
      fullSync: true,
      resolveConflicts: 'keep_st',
      dryRun: false,
      requestedBy: 'admin@example.com',
    },
  },
  'resolve.command': {
    ...base,
    id: resolveId,
    type: 'resolve.command',
    correlationId: conflictId,
    causationId: null,
    data: {
      conflictId,
      strategy: 'merge',
      fields: { price: 'local', cost: 'st' },
      resolvedBy: 'admin@example.com',
    },
  },
  'push.command': {
    ...base,
    id: outboxId,
    type: 'push.command',
    correlationId: syncLogId,
    causationId: null,
    data: { syncLogId, entityTypes: ['materials'], dryRun: false },
  },
  'scheduler.command': {
    ...base,
    id: 'scheduler:stop:2025-12-06T02:00:05.000Z',
    type: 'scheduler.command',
    correlationId: 'scheduler:stop:2025-12-06T02:00:05.000Z',
    causationId: null,
    data: { action: 'stop', requestedBy: 'admin@example.com' },
  },
  'drift.command': {
    ...base,
    id: 'drift:0d6c5a8e-3b1f-4e27-9c4a-5b2e7f8d1a90',
    type: 'drift.command',
    correlationId: '0d6c5a8e-3b1f-4e27-9c4a-5b2e7f8d1a90',
    causationId: null,
    data: {
      checkId: '0d6c5a8e-3b1f-4e27-9c4a-5b2e7f8d1a90',
      trigger: 'operator',
      requestedBy: 'ops@example.com',
    },
  },
  'record.observed': {
    ...base,
    id: `${syncLogId}:materials:48213:2025-12-05T18:22:10.1234567Z`,
    type: 'record.observed',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: {
      syncLogId,
      entity: 'materials',
      stId: 48213,
      modifiedOn: '2025-12-05T18:22:10.1234567Z',
      record: material,
      hash,
    },
  },
  'record.decided': {
    ...base,
    id: `${syncLogId}:materials:48213:2025-12-05T18:22:10.1234567Z:decided`,
    type: 'record.decided',
    correlationId: syncLogId,
    causationId: `${syncLogId}:materials:48213:2025-12-05T18:22:10.1234567Z`,
    data: {
      syncLogId,
      entity: 'materials',
      stId: 48213,
      recordId,
      action: 'update',
      changedFields: ['price'],
      record: material,
      hash,
      base: before,
      modifiedOn: '2025-12-05T18:22:10.1234567Z',
      expected: { contentHash: 'aa11bb22cc33dd44', localModifiedAt: null },
    },
  },
  'sync.fence': {
    ...base,
    id: `${syncLogId}:materials:fence`,
    type: 'sync.fence',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: { syncLogId, entity: 'materials', published: 1200, errors: 0, exportToken: 'eyJtb2RpZmllZE9uIjoi' },
  },
  'record.created': {
    ...base,
    id: '90211',
    type: 'record.created',
    ...fromDecision,
    data: {
      ...theMaterial,
      operation: 'created',
      origin: 'st',
      before: null,
      after: material,
      changedFields: [],
      syncLogId,
    },
  },
  'record.updated': {
    ...base,
    id: '90212',
    type: 'record.updated',
    ...fromDecision,
    data: {
      ...theMaterial,
      operation: 'updated',
      origin: 'st',
      before,
      after: material,
      changedFields: ['price'],
      syncLogId,
      // A sync's change-set has the sync's id.
      changeSetId: syncLogId,
    },
  },
  'record.deleted': {
    ...base,
    id: '90213',
    type: 'record.deleted',
    correlationId: 'api:7f3a',
    causationId: null,
    data: {
      ...theMaterial,
      operation: 'deleted',
      origin: 'local',
      before: material,
      after: null,
      changedFields: [],
      actor: 'pricing-agent',
    },
  },
  'record.conflicted': {
    ...base,
    id: '90214',
    type: 'record.conflicted',
    ...fromDecision,
    data: {
      ...theMaterial,
      operation: 'conflicted',
      origin: 'st',
      before,
      after: before,
      changedFields: ['price'],
      syncLogId,
      conflictId,
      conflictType: 'both_modified',
    },
  },
  'record.resolved': {
    ...base,
    id: '90215',
    type: 'record.resolved',
    correlationId: conflictId,
    causationId: resolveId,
    data: {
      ...theMaterial,
      operation: 'resolved',
      origin: 'resolution',
      before,
      after: material,
      changedFields: ['price'],
      actor: 'admin@example.com',
      conflictId,
    },
  },
  'sync.started': {
    ...base,
    id: '90200',
    type: 'sync.started',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: {
      syncLogId,
      syncType: 'full',
      status: 'running',
      direction: 'bidirectional',
      entityTypes: ['categories', 'materials'],
      dryRun: false,
      startedAt: '2025-12-06T02:00:00.000Z',
      stats: { fetched: 0, created: 0, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 },
    },
  },
  'sync.progress': {
    ...base,
    id: '90230',
    type: 'sync.progress',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: { syncLogId, syncType: 'full', status: 'running', stats: { ...stats, fetched: 600, skipped: 540 } },
  },
  'sync.completed': {
    ...base,
    id: '90260',
    type: 'sync.completed',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: {
      syncLogId,
      syncType: 'full',
      status: 'completed',
      startedAt: '2025-12-06T02:00:00.000Z',
      completedAt: '2025-12-06T02:00:45.000Z',
      durationMs: 45_000,
      stats,
    },
  },
  'sync.failed': {
    ...base,
    id: '90261',
    type: 'sync.failed',
    correlationId: syncLogId,
    causationId: `sync:${syncLogId}`,
    data: {
      syncLogId,
      syncType: 'incremental',
      status: 'failed',
      stats: { ...stats, fetched: 10 },
      error: { code: 'upstream_unavailable', message: 'ServiceTitan did not answer after 8 tries' },
    },
  },
  'changeset.reverted': {
    ...base,
    id: '90270',
    type: 'changeset.reverted',
    correlationId: '5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a',
    causationId: null,
    data: {
      changeSetId: '5d4c3b2a-1f0e-4d9c-8b7a-6e5f4d3c2b1a',
      revertsChangeSetId: 'e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b',
      revertedKind: 'bulk_edit',
      actor: 'api:operator:3f9a0c1b2d4e',
      reverted: 41,
      skipped: 2,
      entityTypes: ['materials'],
    },
  },
  'inbound.upsert': {
    ...base,
    id: 'vendor-feed:2025-12-06:CU-12-10',
    type: 'inbound.upsert',
    correlationId: 'vendor-feed:2025-12-06',
    causationId: null,
    data: { entity: 'materials', stId: 48213, record: { cost: 19.1 }, actor: 'vendor-cost-feed' },
  },
  'inbound.delete': {
    ...base,
    id: 'n8n:run-5521:delete:0b8e4d1a',
    type: 'inbound.delete',
    correlationId: 'n8n:run-5521',
    causationId: null,
    data: { entity: 'materials', recordId, actor: 'n8n' },
  },
};
