import {
  type EntityPushImpact,
  type EntityType,
  entityDescriptor,
  entityTables,
  exceededLimits,
  type PushImpact,
  type PushLimits,
} from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { query, run } from '../sql/query';

interface ImpactRow {
  live_items: string;
  deletions: string;
  price_changes: string;
  unbounded: string;
  largest_factor: string | null;
  up_to_1: string;
  up_to_5: string;
  up_to_10: string;
  up_to_25: string;
  up_to_50: string;
  over_50: string;
}

/**
 * One statement per entity: the pending rows' price fields against the base snapshot (what both
 * sides last agreed, so what the push would move ServiceTitan's price from), and the pending deletes.
 * A push sends only what the local side owns, so this is an upper bound of what it sends.
 */
const impactSql = (table: string) => `
  with pending as (
    select id, data, base, deleted_at from ${table}
     where tenant_id = ? and sync_status = 'pending_sync' and st_id is not null
       and (?::uuid[] is null or id = any(?::uuid[]))
  ), moves as (
    select p.id, (p.base ->> f.name)::numeric as old, (p.data ->> f.name)::numeric as new
      from pending p cross join unnest(?::text[]) as f(name)
     where p.deleted_at is null and p.base is not null
       and jsonb_typeof(p.data -> f.name) = 'number' and jsonb_typeof(p.base -> f.name) = 'number'
       and (p.data ->> f.name)::numeric <> (p.base ->> f.name)::numeric
  ), rated as (
    -- A price set where there was none (0) is no move; a price wiped to 0 is the largest one.
    select id, case when old > 0 and new > 0 then greatest(new / old, old / new) end as factor,
           (old > 0 and new <= 0) as wiped,
           case when old > 0 then abs(new - old) / old end as change
      from moves
  )
  select -- Items ServiceTitan has now: a local delete not pushed yet still counts.
         (select count(*) from ${table} where tenant_id = ? and st_id is not null
             and (deleted_at is null or sync_status = 'pending_sync')) as live_items,
         (select count(*) from pending where deleted_at is not null) as deletions,
         count(distinct id) as price_changes,
         count(*) filter (where wiped) as unbounded,
         round(max(factor), 4)::text as largest_factor,
         count(*) filter (where change <= 0.01) as up_to_1,
         count(*) filter (where change > 0.01 and change <= 0.05) as up_to_5,
         count(*) filter (where change > 0.05 and change <= 0.10) as up_to_10,
         count(*) filter (where change > 0.10 and change <= 0.25) as up_to_25,
         count(*) filter (where change > 0.25 and change <= 0.50) as up_to_50,
         count(*) filter (where change is null or change > 0.50) as over_50
    from rated`;

const share = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : part > 0 ? 1 : 0;

async function measureEntity(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  recordIds: readonly string[] | undefined,
): Promise<EntityPushImpact> {
  const ids = recordIds ? [...recordIds] : null;
  const [row] = await query<ImpactRow>(em, impactSql(entityTables[entity]), [
    tenantId,
    ids,
    ids,
    [...entityDescriptor(entity).priceFields],
    tenantId,
  ]);
  const n = (value: string | undefined) => Number(value ?? 0);
  const liveItems = n(row?.live_items);
  const priceChanges = n(row?.price_changes);
  const deletions = n(row?.deletions);
  return {
    entity,
    liveItems,
    priceChanges,
    priceChangeShare: share(priceChanges, liveItems),
    largestPriceFactor: n(row?.unbounded) > 0 ? null : row?.largest_factor ? Number(row.largest_factor) : 1,
    distribution: {
      upTo1Pct: n(row?.up_to_1),
      upTo5Pct: n(row?.up_to_5),
      upTo10Pct: n(row?.up_to_10),
      upTo25Pct: n(row?.up_to_25),
      upTo50Pct: n(row?.up_to_50),
      over50Pct: n(row?.over_50),
    },
    deletions,
    deleteShare: share(deletions, liveItems),
  };
}

/**
 * Measures what a push would change in ServiceTitan before anything is sent: per entity, how many
 * prices move and how far, and how many items would be deleted, with the limits it crosses.
 *
 * @example
 * const impact = await measurePushImpact(em, { tenantId, entities: ['materials'], limits, allowMassChange: false });
 * if (impact.exceeded.length > 0 && !impact.allowMassChange) failTheSync(impact.exceeded);
 */
export async function measurePushImpact(
  em: EntityManager,
  input: {
    tenantId: string;
    entities: readonly EntityType[];
    recordIds?: readonly string[] | undefined;
    limits: PushLimits;
    allowMassChange: boolean;
  },
): Promise<PushImpact> {
  const entities: EntityPushImpact[] = [];
  for (const entity of input.entities) {
    entities.push(await measureEntity(em, input.tenantId, entity, input.recordIds));
  }
  return {
    entities,
    limits: input.limits,
    exceeded: exceededLimits(entities, input.limits),
    allowMassChange: input.allowMassChange,
  };
}

/**
 * Keeps the measure on the sync log, where `GET /api/sync/pricebook/logs/:id` shows it.
 *
 * @example
 * await recordPushImpact(em, syncLogId, impact);
 */
export async function recordPushImpact(
  em: EntityManager,
  syncLogId: string,
  impact: PushImpact,
): Promise<void> {
  await run(em, 'update pricebook_sync_log set push_impact = ?::jsonb where id = ?', [
    JSON.stringify(impact),
    syncLogId,
  ]);
}
