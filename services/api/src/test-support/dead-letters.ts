import { recordDeadLetter } from '@pricebook/db';
import type { Harness } from './index';

// Dead letters are unique per (stream, consumer, sequence) across tenants, as in one JetStream.
// Far above what `seedTenantRows` numbers, so both can seed one file.
let nextSeq = 1_000_000;

/**
 * A dead letter of `tenant` as the applier's `recordPoison` writes it; returns its id.
 *
 * @example
 * const id = await seedDeadLetter(h, '2001');
 */
export async function seedDeadLetter(
  h: Harness,
  tenant: string,
  payload = '{"id":"vendor-feed:test"}',
): Promise<string> {
  const streamSeq = nextSeq++;
  await recordDeadLetter(h.orm.em.fork(), {
    tenantId: tenant,
    stream: 'PRICEBOOK_INBOUND',
    consumer: 'applier-inbound',
    subject: `pricebook.inbound.${tenant}.materials.upsert.v1`,
    streamSeq,
    deliveryCount: 1,
    payload,
    reason: 'rejected: not_found: no materials row with ST id 77',
  });
  const [row] = await h.sql<{ id: string }>(
    `select id from pricebook_dead_letters
      where stream = 'PRICEBOOK_INBOUND' and consumer = 'applier-inbound' and stream_seq = ?`,
    [streamSeq],
  );
  if (!row) throw new Error('dead letter not recorded');
  return row.id;
}

/** The discard columns of one dead letter, as stored. */
export async function discardOf(
  h: Harness,
  id: string,
): Promise<{ discarded_at: string | null; discarded_by: string | null; discard_reason: string | null }> {
  const [row] = await h.sql<{
    discarded_at: string | null;
    discarded_by: string | null;
    discard_reason: string | null;
  }>('select discarded_at, discarded_by, discard_reason from pricebook_dead_letters where id = ?', [id]);
  if (!row) throw new Error(`dead letter ${id} is gone`);
  return row;
}
