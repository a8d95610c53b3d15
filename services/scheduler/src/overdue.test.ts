import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { overdueFullTick } from './overdue';
import { startSchedulerHarness } from './test-support';

const h = forFile(() => startSchedulerHarness());

const now = new Date('2025-12-06T15:00:00Z');
const check = (tenantId: string, timezone = 'UTC') =>
  overdueFullTick(h.orm.em.fork(), { tenantId, fullCron: '0 2 * * *', timezone, now });

async function seed(tenantId: string, times: Array<string | null>) {
  const entities = ['categories', 'materials', 'services', 'equipment'];
  for (const [i, at] of times.entries()) {
    await h.sql(
      'insert into pricebook_sync_state (tenant_id, entity_type, last_full_sync_at) values (?, ?, ?)',
      [tenantId, entities[i], at],
    );
  }
}

describe('overdueFullTick', () => {
  it('is the latest scheduled tick when the last full sync is older', async () => {
    await seed('4001', Array(4).fill('2025-12-05T02:00:30Z'));
    expect((await check('4001'))?.toISOString()).toBe('2025-12-06T02:00:00.000Z');
  });

  it('is nothing when every entity had a full sync since the last tick', async () => {
    await seed('4002', Array(4).fill('2025-12-06T02:01:00Z'));
    expect(await check('4002')).toBeUndefined();
  });

  it('counts an entity never fully synced as overdue', async () => {
    await seed('4003', ['2025-12-06T02:01:00Z', '2025-12-06T02:01:00Z', '2025-12-06T02:01:00Z', null]);
    expect(await check('4003')).toBeDefined();
    expect(await check('4999')).toBeDefined();
  });

  it('reads the cron in the configured zone', async () => {
    // 2 AM in Chicago is 08:00Z; at 15:00Z the last one was today's.
    await seed('4004', Array(4).fill('2025-12-06T03:00:00Z'));
    expect((await check('4004', 'America/Chicago'))?.toISOString()).toBe('2025-12-06T08:00:00.000Z');
  });
});
