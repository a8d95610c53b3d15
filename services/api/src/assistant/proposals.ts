import { randomUUID } from 'node:crypto';
import {
  checkStEdit,
  type EntityType,
  type Proposal,
  type ProposalItem,
  type ProposalPlan,
  type ProposalsQuery,
  type ProposalToolCall,
  type ProposeChangesToolInput,
  priceFields,
} from '@pricebook/contracts';
import { type EntityManager, findLocalRow, type LocalRow, type Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { FieldError } from '../errors/handle-error';
import { applyBulkEdit, checkBulkItems } from '../pricebook/bulk';
import { recordRef } from '../queries/pricebook';
import { iso } from '../queries/values';

/** A proposal nobody confirmed within a day is stale: the pricebook has moved on. */
export const defaultProposalTtlMs = 24 * 3_600_000;

interface ProposalDbRow {
  id: string;
  tenant_id: string;
  entity: EntityType;
  summary: string;
  status: Proposal['status'];
  created_by: string;
  created_at: string | Date;
  expires_at: string | Date;
  decided_by: string | null;
  decided_at: string | Date | null;
  changeset_id: string | null;
  items: ProposalItem[];
  plan: ProposalPlan;
  tool_calls: ProposalToolCall[];
}

const columns = `id, tenant_id, entity, summary, status, created_by, created_at, expires_at, decided_by,
  decided_at, changeset_id, items, plan, tool_calls`;

/** A stored proposal in the API's shape; one past its expiry reads as `expired`. */
function toProposal(r: ProposalDbRow, nowMs = Date.now()): Proposal {
  const expired = r.status === 'proposed' && new Date(r.expires_at).getTime() <= nowMs;
  return {
    id: r.id,
    entity: r.entity,
    summary: r.summary,
    status: expired ? 'expired' : r.status,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    changeSetId: r.changeset_id,
    items: r.items,
    plan: r.plan,
    toolCalls: r.tool_calls,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A name a person recognises the row by. */
function nameOf(row: LocalRow): string | null {
  for (const key of ['displayName', 'code', 'name']) {
    const value = row.record[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/**
 * The plan of a proposal's items: how many change, how many prices move, and the largest relative
 * move of a price (|after − before| / before, over prices that had a non-zero value).
 */
export function planOf(items: readonly ProposalItem[], unchanged: number): ProposalPlan {
  let priceChanges = 0;
  let largest: number | null = null;
  for (const item of items) {
    let moved = false;
    for (const field of priceFields) {
      if (!(field in item.after) || same(item.before[field], item.after[field])) continue;
      moved = true;
      const before = Number(item.before[field]);
      const after = Number(item.after[field]);
      if (Number.isFinite(before) && before !== 0 && Number.isFinite(after)) {
        const relative = Math.abs(after - before) / Math.abs(before);
        largest = largest === null ? relative : Math.max(largest, relative);
      }
    }
    if (moved) priceChanges += 1;
  }
  return { items: items.length, unchanged, priceChanges, largestRelativeChange: largest };
}

/**
 * Checks the drafted edits as a bulk edit is checked, refusing with every field and its reason in
 * the message (`items.0.fields.id (read-only field)`): a model or an agent reads only the message,
 * and needs the reason to correct its draft.
 */
function checkDraft(
  entity: EntityType,
  drafted: ProposeChangesToolInput['items'],
): Array<Record<string, unknown>> {
  try {
    checkBulkItems(entity, drafted);
    // The values as the record will hold them ("12.50" → 12.5), so an unchanged value is seen as one.
    return drafted.map((edit) => {
      const checked = checkStEdit(entity, 'update', edit.fields);
      return checked.ok ? checked.values : edit.fields;
    });
  } catch (err) {
    const errors = err instanceof AppError ? err.details?.errors : undefined;
    if (!(err instanceof AppError) || err.code !== 'validation_failed' || !Array.isArray(errors)) throw err;
    const reasons = (errors as FieldError[]).map((e) => `${e.path} (${e.message})`).join('; ');
    throw new AppError('validation_failed', `the proposal is not valid: ${reasons}`, {
      details: err.details,
    });
  }
}

export interface ProposeInput {
  tenantId: string;
  createdBy: string;
  ttlMs: number;
  toolCalls: readonly ProposalToolCall[];
  draft: ProposeChangesToolInput;
}

/**
 * Stores a proposal of field edits, checked as a bulk edit is (a bad field, a repeated row: 400;
 * an unknown or deleted row: 404; a row in conflict: 409), with each row's values before and its
 * version now. Writes no pricebook row.
 *
 * @example
 * const proposal = await propose(orm, { tenantId: '1001', createdBy: 'viewer:3f9a', ttlMs, toolCalls: [],
 *   draft: { entity: 'services', summary: 'Raise by 4%', items: [{ id: 'st:7', fields: { price: 104 } }] } });
 */
export async function propose(orm: Orm, input: ProposeInput): Promise<Proposal> {
  const { entity, items: drafted, summary } = input.draft;
  const values = checkDraft(entity, drafted);
  const em = orm.em.fork();
  const items: ProposalItem[] = [];
  let unchanged = 0;
  for (const [i, edit] of drafted.entries()) {
    const ref = recordRef(edit.id);
    const row = ref ? await findLocalRow(em, input.tenantId, entity, ref) : undefined;
    if (!row || row.deletedAt !== null) {
      throw new AppError('not_found', `items.${i} (${edit.id}): no ${entity} record ${edit.id}`, {
        details: { item: i },
      });
    }
    if (row.syncStatus === 'conflict' || row.hasConflict) {
      throw new AppError('conflict', `items.${i} (${edit.id}): the record has an unresolved conflict`, {
        details: { item: i, recordId: row.id },
      });
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(values[i] ?? edit.fields)) {
      if (same(row.record[field], value)) continue;
      before[field] = row.record[field] ?? null;
      after[field] = value;
    }
    if (Object.keys(after).length === 0) {
      unchanged += 1;
      continue;
    }
    items.push({ id: row.id, stId: row.stId, name: nameOf(row), version: row.version, before, after });
  }
  const plan = planOf(items, unchanged);
  const id = randomUUID();
  const [row] = await em.execute<ProposalDbRow[]>(
    `insert into pricebook_assistant_proposals
       (id, tenant_id, entity, summary, created_by, expires_at, items, plan, tool_calls)
     values (?, ?, ?, ?, ?, now() + (? * interval '1 millisecond'), ?::jsonb, ?::jsonb, ?::jsonb)
     returning ${columns}`,
    [
      id,
      input.tenantId,
      entity,
      summary,
      input.createdBy,
      input.ttlMs,
      JSON.stringify(items),
      JSON.stringify(plan),
      JSON.stringify(input.toolCalls),
    ],
  );
  if (!row) throw new AppError('internal', 'the proposal was not stored');
  return toProposal(row);
}

async function load(em: EntityManager, tenantId: string, id: string, lock = false): Promise<ProposalDbRow> {
  const [row] = await em.execute<ProposalDbRow[]>(
    `select ${columns} from pricebook_assistant_proposals where tenant_id = ? and id = ?${lock ? ' for update' : ''}`,
    [tenantId, id],
  );
  if (!row) throw new AppError('not_found', `no proposal ${id}`);
  return row;
}

/** One of the tenant's proposals, or a 404. */
export async function getProposal(orm: Orm, tenantId: string, id: string): Promise<Proposal> {
  return toProposal(await load(orm.em.fork(), tenantId, id));
}

/** The tenant's proposals, newest first (an expired one filtered as `expired`). */
export async function listProposals(orm: Orm, tenantId: string, query: ProposalsQuery): Promise<Proposal[]> {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  if (query.status === 'expired')
    where.push(`(status = 'expired' or (status = 'proposed' and expires_at <= now()))`);
  else if (query.status === 'proposed') where.push(`status = 'proposed' and expires_at > now()`);
  else if (query.status) {
    where.push('status = ?');
    params.push(query.status);
  }
  params.push(query.limit);
  const rows = await orm.em.fork().execute<ProposalDbRow[]>(
    `select ${columns} from pricebook_assistant_proposals where ${where.join(' and ')}
        order by created_at desc, id desc limit ?`,
    params,
  );
  return rows.map((r) => toProposal(r));
}

/** Refuses a decision on a proposal that is not open any more (409), naming its state. */
function refuseClosed(row: ProposalDbRow): void {
  const proposal = toProposal(row);
  if (proposal.status === 'proposed') return;
  const why =
    proposal.status === 'expired'
      ? `expired at ${proposal.expiresAt}: ask the assistant for a new one`
      : `already ${proposal.status} by ${proposal.decidedBy ?? 'someone'} at ${proposal.decidedAt ?? '?'}`;
  throw new AppError('conflict', `proposal ${row.id} is ${why}`, {
    details: { proposalStatus: proposal.status },
  });
}

async function markExpired(orm: Orm, tenantId: string, id: string): Promise<void> {
  await orm.em.fork().execute(
    `update pricebook_assistant_proposals set status = 'expired'
        where tenant_id = ? and id = ? and status = 'proposed' and expires_at <= now()`,
    [tenantId, id],
  );
}

/**
 * Writes a proposal's edits as local edits, in one transaction and one change-set (kind
 * `assistant`, actor `assistant:<who confirmed>`), with each row's version as read at proposal
 * time: a row changed since (by anyone) refuses the whole confirmation (409) and writes nothing.
 * An expired, rejected or already confirmed proposal is refused (409). The edits reach
 * ServiceTitan with the next push, under the push brake.
 *
 * @example
 * const proposal = await confirmProposal(orm, { tenantId: '1001', id, decidedBy: 'operator:3f9a' });
 */
export async function confirmProposal(
  orm: Orm,
  input: { tenantId: string; id: string; decidedBy: string },
): Promise<Proposal> {
  try {
    return await orm.em.fork().transactional(async (em) => {
      const row = await load(em, input.tenantId, input.id, true);
      refuseClosed(row);
      const changeSet = { id: randomUUID(), kind: 'assistant' as const };
      const result = await applyBulkEdit(
        em,
        {
          tenantId: input.tenantId,
          entity: row.entity,
          actor: `assistant:${input.decidedBy}`,
          items: row.items.map((item) => ({ id: item.id, fields: item.after, version: item.version })),
        },
        changeSet,
      ).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'precondition_failed') {
          throw new AppError(
            'conflict',
            `${err.message}; the record changed since the proposal: ask for a new one`,
            {
              details: err.details,
            },
          );
        }
        throw err;
      });
      const [updated] = await em.execute<ProposalDbRow[]>(
        `update pricebook_assistant_proposals
            set status = 'confirmed', decided_by = ?, decided_at = now(), changeset_id = ?
          where id = ? returning ${columns}`,
        [input.decidedBy, result.changeSetId, row.id],
      );
      if (!updated) throw new AppError('internal', 'the proposal vanished while it was confirmed');
      return toProposal(updated);
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict' && err.details?.proposalStatus === 'expired') {
      await markExpired(orm, input.tenantId, input.id);
    }
    throw err;
  }
}

/** Closes a proposal without writing anything; a closed one is refused (409). */
export async function rejectProposal(
  orm: Orm,
  input: { tenantId: string; id: string; decidedBy: string },
): Promise<Proposal> {
  return orm.em.fork().transactional(async (em) => {
    const row = await load(em, input.tenantId, input.id, true);
    refuseClosed(row);
    const [updated] = await em.execute<ProposalDbRow[]>(
      `update pricebook_assistant_proposals set status = 'rejected', decided_by = ?, decided_at = now()
        where id = ? returning ${columns}`,
      [input.decidedBy, row.id],
    );
    if (!updated) throw new AppError('internal', 'the proposal vanished while it was rejected');
    return toProposal(updated);
  });
}
