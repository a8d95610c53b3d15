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
});
