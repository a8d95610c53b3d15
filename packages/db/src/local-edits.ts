import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson, type EntityType, entityTables, mapEntities } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { validateLocalEdit } from './local-edit-validation';
import { type ChangeSetRef, setWriteContext } from './write-context';

/** A pricebook row by its local id or by its ServiceTitan id. */
export type RecordRef = { id: string } | { stId: string | number };

/** A pricebook row as the API and the inbound consumer show it (`record` = `data`). */
export interface LocalRow {
  id: string;
  stId: number | null;
  syncStatus: 'synced' | 'pending_sync' | 'conflict';
  hasConflict: boolean;
  localModifiedAt: string | null;
  lastSyncedAt: string | null;
  deletedAt: string | null;
  version: number;
  record: Record<string, unknown>;
}

/** One local edit: create a row, change some fields of one, or soft-delete one. */
export type LocalEdit =
  | { op: 'create'; record: unknown /** Chosen by the caller for an idempotent create. */; id?: string }
  | {
      op: 'update';
      ref: RecordRef;
      record: unknown /** `If-Match`: refuse unless the row has it. */;
      expectedVersion?: number;
    }
  | { op: 'delete'; ref: RecordRef; expectedVersion?: number };

export interface LocalEditInput {
  tenantId: string;
  entity: EntityType;
  /** `local` (API, tools) or `inbound` (another system's message). */
  origin: 'local' | 'inbound';
  actor: string | null;
  /** The change-set the edit joins (an API edit, a bulk edit, an inbound batch); none if absent. */
  changeSet?: ChangeSetRef | null;
  edit: LocalEdit;
}

/** The row after the edit, and whether anything was written (a repeated edit writes nothing). */
export interface LocalEditResult {
  row: LocalRow;
  changed: boolean;
  created: boolean;
}

interface RawRow {
  id: string;
  st_id: string | null;
  sync_status: LocalRow['syncStatus'];
  has_conflict: boolean;
  local_modified_at: string | Date | null;
  last_synced_at: string | Date | null;
  deleted_at: string | Date | null;
  version: number;
  data: Record<string, unknown>;
}

/** The columns behind {@link LocalRow}, for queries that select rows themselves. */
export const localRowColumns =
  'id, st_id, sync_status, has_conflict, local_modified_at, last_synced_at, deleted_at, version, data';

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

/** A selected row (see {@link localRowColumns}) in the API's shape. */
export function toLocalRow(raw: RawRow): LocalRow {
  return {
    id: raw.id,
    stId: raw.st_id === null ? null : Number(raw.st_id),
    syncStatus: raw.sync_status,
    hasConflict: raw.has_conflict,
    localModifiedAt: iso(raw.local_modified_at),
    lastSyncedAt: iso(raw.last_synced_at),
    deletedAt: iso(raw.deleted_at),
    version: raw.version,
    record: raw.data,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A uuid derived from `seed` (SHA-256, version nibble 8, RFC 9562 variant): the same message
 * always creates the same row, so a redelivered create finds its row instead of adding another.
 *
 * @example
 * deterministicRecordId('1001:materials:vendor-feed:2025-12-06:CU-12-10'); // '3f2a…-8…'
 */
export function deterministicRecordId(seed: string): string {
  const bytes = createHash('sha256').update(seed, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const describeRef = (ref: RecordRef) => ('id' in ref ? ref.id : `st:${ref.stId}`);

/**
 * One row of the tenant by local id or ST id (deleted rows included), optionally locked
 * `for update` so the version read is the version written.
 *
 * @example
 * const row = await findLocalRow(em, '1001', 'materials', { stId: 48213 });
 */
export async function findLocalRow(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  ref: RecordRef,
  options: { lock?: boolean } = {},
): Promise<LocalRow | undefined> {
  // A malformed uuid would be a database error; to the caller it is simply no such row.
  if ('id' in ref && !uuidPattern.test(ref.id)) return undefined;
  const [column, value] = 'id' in ref ? ['id', ref.id] : ['st_id', String(ref.stId)];
  const rows = await em.execute<RawRow[]>(
    `select ${localRowColumns} from ${entityTables[entity]}
      where tenant_id = ? and ${column} = ?${options.lock ? ' for update' : ''}`,
    [tenantId, value],
  );
  const row = rows[0];
  return row ? toLocalRow(row) : undefined;
}

/**
 * The fields each entity's records carry as `{ id, … }` objects while its PATCH body sends ids
 * (the registry's `idObjects` columns: service categories).
 */
const idObjectFields: Record<EntityType, readonly string[]> = mapEntities((d) =>
  d.columns.flatMap((c) => (c.kind === 'idObjects' && c.path[0] ? [c.path[0]] : [])),
);

/**
 * Fields a record keeps as `{ id, … }` objects arrive as ids in an edit: keep the objects of ids
 * still present (so their names are not lost) and add `{ id }` for new ones.
 */
function toRecordShape(
  entity: EntityType,
  values: Record<string, unknown>,
  current: Record<string, unknown>,
): Record<string, unknown> {
  let out = values;
  for (const field of idObjectFields[entity]) {
    const ids = values[field];
    if (!Array.isArray(ids)) continue;
    const known = current[field];
    const byId = new Map<unknown, unknown>();
    for (const c of Array.isArray(known) ? known : []) {
      if (typeof c === 'object' && c !== null) byId.set(Reflect.get(c, 'id'), c);
    }
    out = { ...out, [field]: ids.map((id) => byId.get(id) ?? { id }) };
  }
  return out;
}

async function loadForChange(
  em: EntityManager,
  input: LocalEditInput,
  ref: RecordRef,
  expectedVersion: number | undefined,
): Promise<LocalRow> {
  const row = await findLocalRow(em, input.tenantId, input.entity, ref, { lock: true });
  if (!row) throw new AppError('not_found', `no ${input.entity} record ${describeRef(ref)}`);
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw new AppError(
      'precondition_failed',
      `the record is at version ${row.version}, not ${expectedVersion}: read it again and retry`,
      { details: { currentVersion: row.version } },
    );
  }
  return row;
}

/**
 * Whether a row is in conflict: its sync status says so, or an open conflict names it. The one
 * rule for what a local edit refuses, a revert leaves alone and a drift check counts apart.
 *
 * @example
 * isInConflict({ syncStatus: 'synced', hasConflict: true }); // true
 */
export function isInConflict(row: { syncStatus: string; hasConflict: boolean }): boolean {
  return row.syncStatus === 'conflict' || row.hasConflict;
}

function refuseConflicted(row: LocalRow, entity: EntityType): void {
  if (isInConflict(row)) {
    throw new AppError(
      'conflict',
      `${entity} record ${row.id} has an unresolved conflict: resolve it before editing`,
      { details: { recordId: row.id } },
    );
  }
}

async function create(
  em: EntityManager,
  input: LocalEditInput,
  edit: Extract<LocalEdit, { op: 'create' }>,
): Promise<LocalEditResult> {
  const values = validateLocalEdit(input.entity, 'create', edit.record);
  const id = edit.id ?? randomUUID();
  const data = toRecordShape(input.entity, values, {});
  // `do nothing` on the id: a create repeated with the same id finds the row it made before.
  const rows = await em.execute<RawRow[]>(
    `insert into ${entityTables[input.entity]} (id, tenant_id, data) values (?, ?, ?::jsonb)
       on conflict (id) do nothing returning ${localRowColumns}`,
    [id, input.tenantId, JSON.stringify(data)],
  );
  const inserted = rows[0];
  if (inserted) return { row: toLocalRow(inserted), changed: true, created: true };
  const existing = await findLocalRow(em, input.tenantId, input.entity, { id });
  if (!existing) throw new AppError('conflict', `record id ${id} is taken by another tenant or entity`);
  return { row: existing, changed: false, created: false };
}

async function update(
  em: EntityManager,
  input: LocalEditInput,
  edit: Extract<LocalEdit, { op: 'update' }>,
): Promise<LocalEditResult> {
  const values = validateLocalEdit(input.entity, 'update', edit.record);
  const row = await loadForChange(em, input, edit.ref, edit.expectedVersion);
  if (row.deletedAt !== null) throw new AppError('not_found', `${input.entity} record ${row.id} is deleted`);
  refuseConflicted(row, input.entity);
  const data = { ...row.record, ...toRecordShape(input.entity, values, row.record) };
  // Same values again (a redelivery, a repeated PATCH): no statement, so no audit row or event.
  if (canonicalJson(data) === canonicalJson(row.record)) return { row, changed: false, created: false };
  const rows = await em.execute<RawRow[]>(
    `update ${entityTables[input.entity]} set data = ?::jsonb
      where id = ? and version = ? returning ${localRowColumns}`,
    [JSON.stringify(data), row.id, row.version],
  );
  const updated = rows[0];
  // The row is locked, so this only happens if something bypassed the lock; never write blind.
  if (!updated)
    throw new AppError('conflict', `${input.entity} record ${row.id} changed meanwhile`, { retry: true });
  return { row: toLocalRow(updated), changed: true, created: false };
}

async function remove(
  em: EntityManager,
  input: LocalEditInput,
  edit: Extract<LocalEdit, { op: 'delete' }>,
): Promise<LocalEditResult> {
  const row = await loadForChange(em, input, edit.ref, edit.expectedVersion);
  if (row.deletedAt !== null) return { row, changed: false, created: false };
  refuseConflicted(row, input.entity);
  const rows = await em.execute<RawRow[]>(
    `update ${entityTables[input.entity]} set deleted_at = now()
      where id = ? and version = ? returning ${localRowColumns}`,
    [row.id, row.version],
  );
  const deleted = rows[0];
  if (!deleted)
    throw new AppError('conflict', `${input.entity} record ${row.id} changed meanwhile`, { retry: true });
  return { row: toLocalRow(deleted), changed: true, created: false };
}

/**
 * Validates and applies one local edit inside the caller's transaction, marked with its origin
 * and actor so the triggers audit it, announce it and mark the row `pending_sync`. The one write
 * path of the API and the inbound consumer. Refuses (as `AppError`): a field the ST schema does
 * not allow (`validation_failed`), an unknown or deleted row (`not_found`), a row in conflict
 * (`conflict`), a stale `expectedVersion` (`precondition_failed`).
 *
 * @example
 * await orm.em.fork().transactional((em) =>
 *   applyLocalEdit(em, {
 *     tenantId: '1001', entity: 'materials', origin: 'local', actor: 'api:operator:3f9a0c1b2d4e',
 *     edit: { op: 'update', ref: { stId: 48213 }, record: { price: 12.5 }, expectedVersion: 3 },
 *   }),
 * );
 */
export async function applyLocalEdit(em: EntityManager, input: LocalEditInput): Promise<LocalEditResult> {
  await setWriteContext(em, { origin: input.origin, actor: input.actor, changeSet: input.changeSet ?? null });
  const { edit } = input;
  if (edit.op === 'create') return create(em, input, edit);
  if (edit.op === 'update') return update(em, input, edit);
  return remove(em, input, edit);
}

export { type EditFieldError, type EditMode, editErrors, validateLocalEdit } from './local-edit-validation';
