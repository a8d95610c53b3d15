import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApplierEnv } from '../env';
import { type Harness, startHarness } from '../test-support';
import { pushDepsFromEnv } from './from-env';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the push settings from the environment', () => {
  it('never bulk-updates unless an operator turns it on: a bulk would send write-only fields empty', () => {
    const off = pushDepsFromEnv(h.orm, loadApplierEnv({ ST_TENANT_ID: '1001' }), h.log);
    expect(off.bulkMin).toBe(Number.POSITIVE_INFINITY);
    const on = pushDepsFromEnv(
      h.orm,
      loadApplierEnv({ ST_TENANT_ID: '1001', PUSH_BULK_UPDATES: 'true', PUSH_BULK_MIN: '25' }),
      h.log,
    );
    expect(on.bulkMin).toBe(25);
  });

  it('takes the push brake limits, with the documented defaults', () => {
    const deps = pushDepsFromEnv(
      h.orm,
      loadApplierEnv({ ST_TENANT_ID: '1001', PUSH_MAX_PRICE_FACTOR: '8' }),
      h.log,
    );
    expect(deps.limits).toEqual({
      maxPriceChanges: 500,
      maxPriceChangeShare: 0.25,
      maxPriceFactor: 8,
      maxDeleteShare: 0.1,
    });
  });
});
