import { exampleMessages } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { describe, expect, it } from 'vitest';
import type { Delivery } from './decode';
import { handleEach } from './handlers';
import { captureLog } from './test-support';

const upsert: Delivery<'inbound.upsert'> = {
  message: exampleMessages['inbound.upsert'],
  subject: 'pricebook.inbound.1001.materials.upsert.v1',
  streamSeq: 1,
  deliveryCount: 1,
};
const remove: Delivery<'inbound.delete'> = {
  message: exampleMessages['inbound.delete'],
  subject: 'pricebook.inbound.1001.materials.delete.v1',
  streamSeq: 2,
  deliveryCount: 1,
};

describe('handleEach', () => {
  it('routes each message to the handler of its type and keeps each failure with its message', async () => {
    const seen: string[] = [];
    const failure = new AppError('not_found', 'no such row');
    const handler = handleEach<'inbound.upsert' | 'inbound.delete'>(
      {
        'inbound.upsert': async (m, ctx) => {
          seen.push(`upsert ${m.data.stId} #${ctx.delivery.streamSeq}`);
        },
        'inbound.delete': async (m) => {
          seen.push(`delete ${m.data.recordId}`);
          throw failure;
        },
      },
      { concurrency: 2 },
    );
    const context = { log: captureLog().log, stopping: new AbortController().signal };
    const failures = await handler([upsert, remove], context);
    expect(seen.sort()).toEqual(['delete 0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d', 'upsert 48213 #1']);
    expect(failures).toEqual(new Map([[remove, failure]]));
  });

  it('needs a handler for every type it is given', () => {
    // @ts-expect-error the map has no handler for inbound.delete
    const incomplete = handleEach<'inbound.upsert' | 'inbound.delete'>({
      'inbound.upsert': async () => undefined,
    });
    expect(incomplete).toBeTypeOf('function');
  });
});
