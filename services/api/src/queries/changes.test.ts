import { ChangesQuery, PricebookHistoryQuery } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../test-support';
import { changesStatement, historyStatement, type Statement } from './changes';
import { encodeCursor } from './values';

// The planner picks a sequential scan on a small table whatever the indexes, so the plans are
// checked on an audit trail of the size a tenant reaches after a few full syncs.
const h = forFile(() => startHarness());
const tenant = '1001';
const rows = 120_000;
const syncLogId = '00000000-0000-4000-9000-000000000003';
const recordId = '00000000-0000-4000-8000-000000000abc';

beforeAll(async () => {
  await h.sql(
    `insert into pricebook_changes (tenant_id, entity_type, record_id, st_id, operation, origin, before, after,
        changed_fields, sync_log_id, actor, created_at)
     select t, (array['materials','services','equipment','categories'])[1 + g % 4],
       ('00000000-0000-4000-8000-' || lpad(to_hex(g % 40000), 12, '0'))::uuid, g % 40000, 'update',
       case when g % 50 = 0 then 'local' else 'st' end, '{"price": 1}', '{"price": 2}', '{price}',
       case when g % 50 = 0 then null else ('00000000-0000-4000-9000-' || lpad(to_hex(g / 10000), 12, '0'))::uuid end,
       case when g % 50 = 0 then 'api:operator:' || (g % 7) else 'applier' end,
       timestamptz '2026-09-01T00:00:00Z' + g * interval '20 seconds'
     from generate_series(1, ?) g, (values (?::bigint), (2002)) tenants(t)`,
    [rows / 2, tenant],
  );
  await h.sql('analyze pricebook_changes');
}, 120_000);

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

async function plan({ sql, params }: Statement): Promise<PlanNode[]> {
  const [row] = await h.sql<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
    `explain (format json) ${sql}`,
    params,
  );
  const root = row?.['QUERY PLAN'][0]?.Plan;
  if (!root) throw new Error('no plan');
  return nodes(root);
}

const cursor = encodeCursor(['2026-09-10T00:00:00.000000Z', '50000']);
const changes = (query: Record<string, string>) => changesStatement(tenant, ChangesQuery.parse(query));

describe('the audit trail queries read an index at 120,000 rows', () => {
  it.each([
    ['every change', {}, 'pricebook_changes_tenant_time_idx'],
    ['the next page', { cursor }, 'pricebook_changes_tenant_time_idx'],
    [
      'a time range',
      { from: '2026-09-10T00:00:00Z', to: '2026-09-11T00:00:00Z' },
      'pricebook_changes_tenant_time_idx',
    ],
    ['an origin', { origin: 'local', cursor }, 'pricebook_changes_tenant_time_idx'],
    ['an entity', { entity: 'categories' }, undefined],
    ['an actor', { actor: 'api:operator:3' }, 'pricebook_changes_actor_time_idx'],
    ['an actor nobody is', { actor: 'nobody' }, 'pricebook_changes_actor_time_idx'],
    ['a sync', { syncLogId, cursor }, 'pricebook_changes_sync_time_idx'],
    ['a row', { recordId }, 'pricebook_changes_record_idx'],
    ['a row of an entity', { recordId, entity: 'materials' }, 'pricebook_changes_record_idx'],
  ])('%s', async (_what, query, index) => {
    const steps = await plan(changes(query));
    expect(steps.map((s) => s['Node Type'])).not.toContain('Seq Scan');
    const indexes = steps.flatMap((s) => (s['Index Name'] ? [s['Index Name']] : []));
    if (index) expect(indexes).toContain(index);
    else expect(indexes.length).toBeGreaterThan(0);
  });

  it("one row's history, and its next page", async () => {
    for (const query of [{}, { cursor: encodeCursor(['90000']) }]) {
      const statement = historyStatement(tenant, 'materials', recordId, PricebookHistoryQuery.parse(query));
      const steps = await plan(statement);
      expect(steps.map((s) => s['Node Type'])).not.toContain('Seq Scan');
      expect(steps.flatMap((s) => s['Index Name'] ?? [])).toContain('pricebook_changes_record_idx');
    }
  });
});
