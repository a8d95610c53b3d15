import { createHash } from 'node:crypto';
import {
  canonicalJson,
  createMessage,
  type EntityType,
  type JsonObject,
  type Message,
  messageIds,
  normalizeStTimestamp,
  type StRecord,
  stContentHash,
} from '@pricebook/contracts';
import type { StInvalidRecord } from '@pricebook/st-client';

/** What every message of one sync carries in its envelope. */
export interface SyncScope {
  tenant: string;
  syncLogId: string;
  /** The sync command's message id: the causation of everything the fetcher publishes for it. */
  commandId: string;
}

/**
 * Stands in for a missing `modifiedOn` (categories of builds older than 2026 have none). It sorts
 * before every real timestamp, so such a record never looks newer than a row that has one.
 */
export const unknownModifiedOn = '1970-01-01T00:00:00.0000000Z';

/**
 * The identity of one version of a valid record within a run: its ledger key and `modifiedOn`.
 *
 * @example
 * recordVersion(material); // { key: '20000123', version: '2025-01-02T03:04:05.1234567Z' }
 */
export function recordVersion(record: StRecord): { key: string; version: string } {
  return { key: String(record.id), version: record.modifiedOn ?? unknownModifiedOn };
}

/**
 * The ledger key and version of an invalid record: its ST id when it has a usable one, else
 * `invalid:<digest>` of its content; its canonical `modifiedOn` when readable, else a digest,
 * so a repeated row repeats its message id and a changed one does not.
 *
 * @example
 * invalidRecordVersion({ id: 7, raw: { id: 7, price: 'free' }, … }); // { key: '7', version: 'h3f…' }
 */
export function invalidRecordVersion(invalid: StInvalidRecord): { key: string; version: string } {
  const digest = createHash('sha256')
    .update(canonicalJson(invalid.raw ?? null))
    .digest('hex');
  const id = usableId(invalid);
  const key = id === undefined ? `invalid:${digest.slice(0, 32)}` : String(id);
  const raw = invalid.raw;
  const stamp =
    raw !== null && typeof raw === 'object' && 'modifiedOn' in raw && typeof raw.modifiedOn === 'string'
      ? normalizeStTimestamp(raw.modifiedOn)
      : undefined;
  return { key, version: stamp ?? `h${digest.slice(0, 16)}` };
}

/**
 * `record.observed` for one valid ST record, with its content hash; message id
 * `<syncLogId>:<entity>:<stId>:<modifiedOn>`.
 *
 * @example
 * await publish(js, observedMessage(scope, 'materials', material, false));
 */
export function observedMessage(
  scope: SyncScope,
  entity: EntityType,
  record: StRecord,
  deleted: boolean,
): Message<'record.observed'> {
  const modifiedOn = record.modifiedOn ?? unknownModifiedOn;
  const { syncLogId } = scope;
  // Built as the catalog's shape, not through `createMessage`: every part is already parsed (the
  // record and its canonical modifiedOn by the ST client, the scope from the command), and that
  // second parse of each record was the fetcher's largest cost after reading ServiceTitan. The
  // consumer parses it at its edge; a test holds this builder to the catalog.
  return {
    id: messageIds.observed({ syncLogId, entity, stId: record.id, modifiedOn }),
    type: 'record.observed',
    version: 1,
    occurredAt: new Date().toISOString(),
    ...envelope(scope),
    data: {
      syncLogId,
      entity,
      stId: record.id,
      modifiedOn,
      record,
      hash: stContentHash(entity, record),
      ...(deleted ? { deleted: true } : {}),
    },
  };
}

/**
 * A `quarantine` decision for a record that failed validation, straight to the applier: the
 * raw record, the reason and its ledger key (`stId` 0 when it has no usable id).
 *
 * @example
 * await publish(js, quarantineMessage(scope, 'materials', page.invalid[0]));
 */
export function quarantineMessage(
  scope: SyncScope,
  entity: EntityType,
  invalid: StInvalidRecord,
): Message<'record.decided'> {
  const { key, version } = invalidRecordVersion(invalid);
  const { syncLogId } = scope;
  const modifiedOn = version.startsWith('h') ? undefined : version;
  return createMessage('record.decided', {
    id: messageIds.decided(messageIds.observed({ syncLogId, entity, stId: key, modifiedOn: version })),
    ...envelope(scope),
    data: {
      syncLogId,
      entity,
      stId: usableId(invalid) ?? 0,
      action: 'quarantine',
      record: asJsonObject(invalid.raw),
      ...(modifiedOn ? { modifiedOn } : {}),
      invalid: { reason: invalid.reason || 'invalid record', key },
    },
  });
}

export interface FenceCounts {
  published: number;
  versions?: number | undefined;
  errors: number;
  exportToken?: string | undefined;
  failed?: { code: string; message: string } | undefined;
}

/**
 * The `sync.fence` closing one entity of a sync; message id `<syncLogId>:<entity>:fence`.
 *
 * @example
 * await publish(js, fenceMessage(scope, 'materials', { published: 812, errors: 1, exportToken }));
 */
export function fenceMessage(
  scope: SyncScope,
  entity: EntityType,
  counts: FenceCounts,
): Message<'sync.fence'> {
  const { syncLogId } = scope;
  return createMessage('sync.fence', {
    id: messageIds.fence({ syncLogId, entity }),
    ...envelope(scope),
    data: {
      syncLogId,
      entity,
      published: counts.published,
      ...(counts.versions !== undefined ? { versions: counts.versions } : {}),
      errors: counts.errors,
      ...(counts.exportToken ? { exportToken: counts.exportToken } : {}),
      ...(counts.failed ? { failed: counts.failed } : {}),
    },
  });
}

/** The envelope fields every message of the sync shares: it correlates by the sync, caused by its command. */
function envelope(scope: SyncScope): { tenant: string; correlationId: string; causationId: string } {
  return { tenant: scope.tenant, correlationId: scope.syncLogId, causationId: scope.commandId };
}

/** The invalid record's ST id when it can be one (a non-negative safe integer). */
function usableId(invalid: StInvalidRecord): number | undefined {
  return invalid.id !== undefined && invalid.id >= 0 ? invalid.id : undefined;
}

/** A raw value as a JSON object: objects as they are, anything else wrapped so it is kept. */
function asJsonObject(raw: unknown): JsonObject {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as JsonObject;
  return { value: raw ?? null };
}
