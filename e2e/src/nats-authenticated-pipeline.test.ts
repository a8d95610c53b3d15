import { fileURLToPath } from 'node:url';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createMessage, subjects } from '@pricebook/contracts';
import { inboxPrefixOf } from '@pricebook/messaging';
import { provisionNats } from '@pricebook/testing';
import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { localRows, rows, sync, test } from './test-support';

// The whole engine against the shipped deploy/nats/nats-server.conf: every service logs in as its
// own least-privileged user, provisioning as admin, and an integrator hands in an edit and reads
// the event it caused, as a deployment would run.
const configFile = fileURLToPath(new URL('../../deploy/nats/nats-server.conf', import.meta.url));

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 17 }, natsConfig: configFile } });

describe('the pipeline with a NATS user per service', () => {
  test('syncs from ServiceTitan, applies an integrator edit, and the integrator reads the event', async ({
    stack,
    sql: db,
  }) => {
    // The integrator's own durable on the public events, as an operator would provision it.
    await provisionNats(stack.nats, {
      NATS_INTEGRATOR_CONSUMERS: 'crm=pricebook.events.*.materials.updated.v1',
    });
    const result = await sync(stack, 'full');
    expect(result).toMatchObject({ status: 'completed', stats: { errors: 0 } });
    expect(result.stats.created).toBeGreaterThan(0);
    expect(result.stats.created).toBe(result.stats.fetched);

    const [stId] = [...(await localRows(db, 'materials')).keys()];
    if (stId === undefined) throw new Error('no materials');
    const integrator = stack.nats.users.integrator;
    if (!integrator) throw new Error('no integrator user');
    const nc = await connect({
      servers: stack.nats.url,
      user: integrator.user,
      pass: integrator.password,
      inboxPrefix: inboxPrefixOf('integrator'),
    });
    try {
      const js = jetstream(nc);
      const tenant = stack.sandbox.tenantId;
      const edit = createMessage('inbound.upsert', {
        id: `crm:e2e:${stId}`,
        tenant,
        correlationId: 'crm:e2e',
        causationId: null,
        data: { entity: 'materials', stId, record: { cost: 7.25 }, actor: 'crm' },
      });
      await js.publish(subjects.inbound(tenant, 'materials', 'upsert'), JSON.stringify(edit), {
        msgID: edit.id,
      });
      await until(
        'the inbound edit applied',
        async () =>
          (
            await rows<{ sync_status: string }>(
              db,
              'select sync_status from pricebook_materials where st_id = $1',
              [stId],
            )
          )[0]?.sync_status === 'pending_sync',
        30_000,
      );

      // The applier relays the change; the integrator's durable, filtered to material updates, sees it.
      const consumer = await js.consumers.get('PRICEBOOK_EVENTS', 'crm');
      const seen: string[] = [];
      await until(
        'the inbound edit event',
        async () => {
          const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
          for await (const m of batch) {
            seen.push(m.subject);
            const event = m.json<{ type: string; data: { stId?: number; origin?: string } }>();
            m.ack();
            if (event.type === 'record.updated' && event.data.origin === 'inbound') return true;
          }
          return false;
        },
        30_000,
      );
      expect(seen).toEqual([subjects.recordEvent(tenant, 'materials', 'updated')]);
    } finally {
      await nc.close();
    }
  }, 180_000);
});
