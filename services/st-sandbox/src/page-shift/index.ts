import { z } from 'zod';
import { withUserDefaults } from '../control/items';
import { createItem, deleteItem, updateItem } from '../requests/writes';
import type { Tenant } from '../store/tenant';
import { type AnyRecord, type Entity, entities, type Stored } from '../store/types';

const ids = z.array(z.number().int().positive()).min(1).max(5000);
const front = z.number().int().min(1).max(5000);

/** Which items an edit or a delete hits: the given ids, or the first `front` rows of the page just served. */
const target = z
  .object({ ids: ids.optional(), front: front.optional() })
  .strict()
  .refine((t) => (t.ids === undefined) !== (t.front === undefined), 'give either ids or front');

const fields = z.record(z.string(), z.unknown());

/** What `PUT /_sandbox/tenants/{t}/page-shift` accepts. */
export const pageShiftInput = z
  .object({
    entity: z.enum(entities),
    /** The list page (1-based) after which the writes happen. */
    afterPage: z.number().int().min(1).default(1),
    delete: target.optional(),
    edit: z
      .object({ ids: ids.optional(), front: front.optional(), fields })
      .strict()
      .refine((t) => (t.ids === undefined) !== (t.front === undefined), 'give either ids or front')
      .optional(),
    /** `count` new items with made-up fields, or one new item per field set in `items`. */
    add: z
      .object({
        count: z.number().int().min(1).max(5000).optional(),
        items: z.array(fields).min(1).optional(),
      })
      .strict()
      .refine((a) => (a.count === undefined) !== (a.items === undefined), 'give either count or items')
      .optional(),
  })
  .strict()
  .refine((s) => s.delete ?? s.edit ?? s.add, 'give at least one of delete, edit, add');
export type PageShiftInput = z.infer<typeof pageShiftInput>;

/** What a shift did when it went off, for tests to know exactly which ids moved. */
export interface FiredShift {
  entity: Entity;
  page: number;
  /** Sandbox time of the writes. */
  at: string;
  deleted: number[];
  edited: number[];
  added: number[];
  /** Targets that were no longer live when the shift went off (already deleted meanwhile). */
  skipped: number[];
  /** Writes the sandbox refused (a bad edit or new item), as `<kind>: <reason>`. */
  errors: string[];
}

/**
 * The armed page shift of each tenant and the shifts that went off. A shift goes off once,
 * right after the list page it names has been served (a listing, not an `ids` look-up), and
 * writes as a ServiceTitan user would: an offset-paged reader that goes on to the next page
 * then misses (after deletes) or repeats (after adds in front) rows.
 */
export class PageShifts {
  private readonly armed = new Map<string, PageShiftInput>();
  private readonly fired = new Map<string, FiredShift[]>();

  arm(tenantId: string, shift: PageShiftInput): void {
    this.armed.set(tenantId, shift);
  }

  disarm(tenantId: string): void {
    this.armed.delete(tenantId);
  }

  status(tenantId: string): { armed: PageShiftInput | null; fired: FiredShift[] } {
    return { armed: this.armed.get(tenantId) ?? null, fired: this.fired.get(tenantId) ?? [] };
  }

  /**
   * Called by the list route once a page has been computed: runs the tenant's shift when it is
   * for this entity and page, and disarms it.
   */
  afterListPage(
    tenant: Tenant,
    entity: Entity,
    page: number,
    served: readonly Stored<AnyRecord>[],
    nowMs: number,
  ): FiredShift | undefined {
    const shift = this.armed.get(tenant.id);
    if (!shift || shift.entity !== entity || shift.afterPage !== page) return undefined;
    this.armed.delete(tenant.id);
    const fired = applyShift(tenant, shift, served, nowMs);
    this.fired.set(tenant.id, [...(this.fired.get(tenant.id) ?? []), fired]);
    return fired;
  }

  clear(): void {
    this.armed.clear();
    this.fired.clear();
  }
}

function targetIds(
  t: { ids?: number[] | undefined; front?: number | undefined },
  served: readonly Stored<AnyRecord>[],
): number[] {
  return t.ids ?? served.slice(0, t.front).map((item) => item.data.id);
}

type Outcome = 'deleted' | 'edited' | 'added';

/** Runs one write; a refused one is reported in `errors`, never turned into an error of the page served. */
function attempt(out: FiredShift, outcome: Outcome, write: () => Stored<AnyRecord>): void {
  try {
    out[outcome].push(write().data.id);
  } catch (error) {
    out.errors.push(`${outcome}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function applyShift(
  tenant: Tenant,
  shift: PageShiftInput,
  served: readonly Stored<AnyRecord>[],
  nowMs: number,
): FiredShift {
  const { entity } = shift;
  const store = tenant.anyStore(entity);
  const out: FiredShift = {
    entity,
    page: shift.afterPage,
    at: new Date(nowMs).toISOString(),
    deleted: [],
    edited: [],
    added: [],
    skipped: [],
    errors: [],
  };
  // Targets are chosen before any write, so `front` means the rows the reader has just seen.
  const toEdit = shift.edit ? targetIds(shift.edit, served) : [];
  const toDelete = shift.delete ? targetIds(shift.delete, served) : [];
  const fields = shift.edit?.fields ?? {};
  for (const id of toEdit) {
    if (!store.getLive(id)) out.skipped.push(id);
    else attempt(out, 'edited', () => updateItem(tenant, entity, id, fields, nowMs));
  }
  for (const id of toDelete) {
    if (!store.getLive(id)) out.skipped.push(id);
    else attempt(out, 'deleted', () => deleteItem(tenant, entity, id, nowMs));
  }
  const bodies = shift.add?.items ?? Array.from({ length: shift.add?.count ?? 0 }, () => ({}));
  for (const body of bodies) {
    attempt(out, 'added', () => createItem(tenant, entity, withUserDefaults(entity, body), nowMs));
  }
  return out;
}
