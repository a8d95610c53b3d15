import type { Hono } from 'hono';
import { type ApiError, validationError } from '../problem';
import { updateItem } from '../requests/writes';
import { API_PREFIX } from '../routes/crud';
import type { SandboxEnv, SandboxState } from '../state';
import { compareStamp, parseDateParam, type Stamp } from '../store/stamp';
import type { Tenant } from '../store/tenant';
import type { AnyRecord, Entity, Stored } from '../store/types';
import { envelopeJson, rowsJson } from '../store/view';
import { exportPageServed } from './hooks';
import { decodeCursor, encodeCursor } from './token';

export interface ExportPage {
  rows: Stored<AnyRecord>[];
  hasMore: boolean;
  continueFrom: string;
}

export interface ExportRequest {
  from: string;
  includeRecentChanges: boolean;
  nowMs: number;
  pageSize: number;
  overlap: number;
  lagSeconds: number;
}

function badFrom(from: string): ApiError {
  return validationError({ from: [`The value '${from}' is neither a continuation token nor a date.`] });
}

/**
 * One page of an entity's export feed, in change-log order (which is `modifiedOn` order, ties
 * included). Without `includeRecentChanges`, rows written less than the lag ago are held back
 * and the page stops before them. With it, the returned token points a few rows back, so the
 * next call sends those rows again: the repeats ServiceTitan warns about, made real.
 */
export function exportPage(tenant: Tenant, entity: Entity, req: ExportRequest): ExportPage {
  const store = tenant.anyStore(entity);
  const log = store.log;
  let start = 0;
  let afterSeq = 0;
  if (req.from) {
    const cursor = decodeCursor(req.from);
    if (cursor) {
      if (
        cursor.tenantId !== tenant.id ||
        cursor.entity !== entity ||
        cursor.generation !== tenant.generation
      ) {
        throw validationError({ from: ['The continuation token was not issued by this export endpoint.'] });
      }
      afterSeq = cursor.seq;
      start = log.indexAfterSeq(afterSeq);
    } else {
      const date = parseDateParam(req.from);
      if (!date) throw badFrom(req.from);
      start = log.indexAtOrAfter(date);
      afterSeq = start > 0 ? log.seqAt(start - 1) : 0;
    }
  }
  const cutoff: Stamp | undefined = req.includeRecentChanges
    ? undefined
    : { ms: req.nowMs - req.lagSeconds * 1000, ticks: 0 };
  const rows: Stored<AnyRecord>[] = [];
  const seqs: number[] = [];
  let hasMore = false;
  for (let i = start; i < log.length; i++) {
    const seq = log.seqAt(i);
    const item = store.get(log.idAt(i));
    if (!item || item.seq !== seq) continue; // superseded by a later write
    if (cutoff && compareStamp(log.stampAt(i), cutoff) > 0) break; // not visible yet
    if (rows.length === req.pageSize) {
      hasMore = true;
      break;
    }
    rows.push(item);
    seqs.push(seq);
  }
  const repeat = req.includeRecentChanges ? Math.min(req.overlap, Math.max(0, rows.length - 1)) : 0;
  const lastSeq = seqs.length ? (seqs[seqs.length - 1 - repeat] ?? afterSeq) : afterSeq;
  const continueFrom = encodeCursor({
    tenantId: tenant.id,
    entity,
    generation: tenant.generation,
    seq: lastSeq,
  });
  return { rows, hasMore, continueFrom };
}

/** `GET /export/{entity}?from=&includeRecentChanges=` (contract §5). */
export function registerExport(app: Hono<SandboxEnv>, state: SandboxState): void {
  app.get(`${API_PREFIX}/export/:entity{(?:categories|materials|services|equipment)}`, (c) => {
    const tenant = c.get('tenant');
    const entity = c.req.param('entity') as Entity;
    const recentText = c.req.query('includeRecentChanges') ?? '';
    if (recentText && !/^(true|false)$/i.test(recentText)) {
      throw validationError({ includeRecentChanges: [`The value '${recentText}' is not valid.`] });
    }
    const s = state.settings;
    const page = exportPage(tenant, entity, {
      from: c.req.query('from') ?? '',
      includeRecentChanges: /^true$/i.test(recentText),
      nowMs: state.clock.now(),
      pageSize: s.exportPageSize,
      overlap: s.exportOverlap,
      lagSeconds: s.exportLagSeconds,
    });
    const options = { extraFields: s.extraFields, shape: 'export' as const };
    const json = envelopeJson(
      { hasMore: page.hasMore, continueFrom: page.continueFrom },
      rowsJson(tenant, entity, page.rows, options),
      s.extraFields ? { _newField: 'sandbox' } : undefined,
    );
    // Edits armed through the control API land after this page was built, between two pages.
    for (const edit of exportPageServed(tenant, entity)) {
      updateItem(tenant, entity, edit.id, edit.fields, state.clock.now());
    }
    return c.body(json, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
}
