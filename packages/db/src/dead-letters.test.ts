import { describe, expect, it } from 'vitest';
import { recordPoison } from './dead-letters';
import { databaseForFile } from './test-support';

const t = databaseForFile();

describe('recordPoison', () => {
  it('records a message whose payload and reason carry NUL, which text cannot store', async () => {
    const record = recordPoison(t.orm);
    const message = {
      subject: 'pricebook.inbound.1001.materials.upsert.v1',
      stream: 'PRICEBOOK_INBOUND',
      consumer: 'applier-inbound',
      streamSeq: 7,
      deliveryCount: 1,
      payload: '{"raw": "a\u0000b"',
      reason: 'rejected',
      detail: 'validation_failed: the record is not valid: pri\u0000ce (unknown field)',
    };
    await record(message);
    // Recording again after a crash between insert and term changes nothing.
    await record(message);
    const rows = await t.sql<{ tenant_id: string; payload: string; reason: string }>(
      'select tenant_id, payload, reason from pricebook_dead_letters',
    );
    expect(rows).toEqual([
      {
        tenant_id: '1001',
        payload: '{"raw": "a\uFFFDb"',
        reason: 'rejected: validation_failed: the record is not valid: pri\uFFFDce (unknown field)',
      },
    ]);
  });
});
