import { describe, expect, it } from 'vitest';
import { loadConfig } from './index';
import { natsEnv, natsProvisionEnv, streamOptionsOf } from './nats';

describe('NATS deployment and stream settings', () => {
  it('defaults to the unnamed deployment and the single-server stream settings', () => {
    expect(loadConfig(natsEnv, {}).NATS_DEPLOYMENT).toBe('');
    expect(streamOptionsOf(loadConfig(natsProvisionEnv, {}))).toEqual({
      replicas: 1,
      eventsMaxAgeDays: 14,
      eventsMaxBytes: -1,
      pipelineMaxAgeHours: 48,
      commandsMaxAgeDays: 7,
    });
  });

  it('reads the settings an operator gives', () => {
    const env = loadConfig(natsProvisionEnv, {
      NATS_DEPLOYMENT: 'eu-west',
      NATS_STREAM_REPLICAS: '3',
      NATS_EVENTS_MAX_AGE_DAYS: '30',
    });
    expect(env.NATS_DEPLOYMENT).toBe('eu-west');
    expect(streamOptionsOf(env)).toMatchObject({ replicas: 3, eventsMaxAgeDays: 30 });
  });

  it('refuses a deployment name that would not make valid or distinct names', () => {
    expect(() => loadConfig(natsEnv, { NATS_DEPLOYMENT: 'EU_West' })).toThrow(/NATS_DEPLOYMENT/);
    expect(() => loadConfig(natsProvisionEnv, { NATS_STREAM_REPLICAS: '0' })).toThrow(/NATS_STREAM_REPLICAS/);
  });
});
