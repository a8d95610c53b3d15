import { loadConfig } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { schedulerEnv } from '../env';
import { retentionsOf } from './env';

const day = 86_400_000;
const base = { ST_TENANT_ID: '3001' };

describe('housekeeping settings', () => {
  it('run hourly and keep the audit trail by default', () => {
    const env = loadConfig(schedulerEnv, base);
    expect(env.HOUSEKEEPING_CRON).toBe('17 * * * *');
    expect(env.HOUSEKEEPING_BATCH_SIZE).toBe(1000);
    expect(retentionsOf(env)).toEqual({
      outbox: 7 * day,
      deadLetters: 30 * day,
      quarantine: 30 * day,
      syncLogs: 180 * day,
      audit: null,
      webhookDeliveries: 30 * day,
    });
  });

  it('turn off as a whole or per table, and read readable durations', () => {
    const env = loadConfig(schedulerEnv, {
      ...base,
      HOUSEKEEPING_CRON: 'off',
      OUTBOX_RETENTION: '12h',
      SYNC_LOG_RETENTION: 'off',
      AUDIT_RETENTION: '2w',
    });
    expect(env.HOUSEKEEPING_CRON).toBeNull();
    expect(retentionsOf(env)).toMatchObject({ outbox: 12 * 3_600_000, syncLogs: null, audit: 14 * day });
  });

  it('refuse a bad schedule or a duration without a unit, naming the variable', () => {
    expect(() => loadConfig(schedulerEnv, { ...base, HOUSEKEEPING_CRON: 'hourly' })).toThrow(
      /HOUSEKEEPING_CRON: not a cron expression or off/,
    );
    expect(() => loadConfig(schedulerEnv, { ...base, DEAD_LETTER_RETENTION: '30' })).toThrow(
      /DEAD_LETTER_RETENTION: expected a duration/,
    );
  });
});
