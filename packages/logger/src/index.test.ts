import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('redacts secrets at the top level and one level down', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 'test', destination: stream });
    log.info(
      {
        clientSecret: 'cs1.abc',
        st: { accessToken: 'jwt', tenant: 1 },
        headers: { authorization: 'Bearer k' },
      },
      'hello',
    );
    const line = lines.join('');
    expect(line).not.toContain('cs1.abc');
    expect(line).not.toContain('jwt');
    expect(line).not.toContain('Bearer k');
    expect(JSON.parse(line)).toMatchObject({ service: 'test', msg: 'hello', st: { tenant: 1 } });
  });

  it('redacts NATS logins: passwords, tokens and nkey seeds', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 'test', destination: stream });
    log.info(
      {
        auth: { kind: 'user', user: 'api', password: 'nats-pw-1' },
        nats: { token: 'nats-token-2', seed: 'SUSEED3', pass: 'nats-pw-4' },
        NATS_PASSWORD: 'nats-pw-5',
        NATS_NKEY_SEED: 'SUSEED6',
      },
      'nats login',
    );
    const line = lines.join('');
    for (const secret of ['nats-pw-1', 'nats-token-2', 'SUSEED3', 'nats-pw-4', 'nats-pw-5', 'SUSEED6'])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ auth: { kind: 'user', user: 'api' } });
  });
});
