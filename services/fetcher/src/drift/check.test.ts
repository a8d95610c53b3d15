import { randomUUID } from 'node:crypto';
import { createMessage, messageIds } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { pipelineCount, silentLog, startTenantsWorld } from '../test-support';
import { runDriftCheck } from './check';
import { driftHandler } from './handler';
import { claimReport, finishReport } from './report-store';

const world = forFile(() => startTenantsWorld({ items: 60, seed: 7 }));

function command(tenant: string) {
  const checkId = randomUUID();
  return createMessage('drift.command', {
    id: messageIds.driftCheck(checkId),
    tenant,
    correlationId: checkId,
    causationId: null,
    data: { checkId, trigger: 'operator' },
  });
}

async function report(checkId: string) {
  const [row] = await world.orm.em
    .fork()
    .execute<
      { status: string; drifted_count: number; truncated: boolean; items: unknown[]; error: string | null }[]
    >('select status, drifted_count, truncated, items, error from pricebook_drift_reports where id = ?', [
      checkId,
    ]);
  return row;
}

describe('a drift check', () => {
  it('against an empty local copy lists every item as missing locally, up to the cap, and publishes nothing', async () => {
    const { st } = await world.clients.forTenant(world.sb.tenantId);
    const message = command(world.sb.tenantId);
    const outcome = await runDriftCheck(
      { orm: world.orm, log: silentLog, maxItems: 5 },
      st,
      message,
      new AbortController().signal,
    );
    expect(outcome?.status).toBe('drifted');
    expect(outcome?.driftedCount).toBeGreaterThan(5);
    const stored = await report(message.data.checkId);
    expect(stored).toMatchObject({ status: 'drifted', truncated: true, error: null });
    expect(stored?.items).toHaveLength(5);
    expect(stored?.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'missing_locally', fields: [] })]),
    );
    expect(await pipelineCount(world)).toBe(0);

    // The same command again (a redelivery) is not run twice.
    const again = await runDriftCheck(
      { orm: world.orm, log: silentLog, maxItems: 5 },
      st,
      message,
      new AbortController().signal,
    );
    expect(again).toBeUndefined();
  });

  it("of another tenant naming this tenant's check id neither claims nor writes its report", async () => {
    const mine = command(world.sb.tenantId);
    expect(await claimReport(world.orm, mine)).toBe(true);
    const theirs = createMessage('drift.command', {
      id: messageIds.driftCheck(mine.data.checkId),
      tenant: '987655',
      correlationId: mine.data.checkId,
      causationId: null,
      data: { checkId: mine.data.checkId, trigger: 'operator' },
    });
    expect(await claimReport(world.orm, theirs)).toBe(false);
    await finishReport(world.orm, theirs.tenant, mine.data.checkId, {
      status: 'drifted',
      entities: [],
      items: [],
      driftedCount: 7,
      truncated: false,
      stRequests: 0,
      error: null,
    });
    expect(await report(mine.data.checkId)).toMatchObject({ status: 'running', drifted_count: 0 });
  });

  it('of a tenant the directory refuses fails with the reason', async () => {
    const handler = driftHandler({ clients: world.clients, orm: world.orm, log: silentLog, maxItems: 5 });
    const message = command('987654');
    const delivery = {
      message,
      subject: 'pricebook.cmd.987654.drift.v1',
      streamSeq: 1,
      deliveryCount: 1,
    };
    await handler([delivery], { log: silentLog, stopping: new AbortController().signal });
    expect(await report(message.data.checkId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^not_found/),
    });
  });
});
