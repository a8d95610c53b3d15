import { describe, expect, it } from 'vitest';
import { SessionSigner, sessionSecret } from './session-token';

const keys = [
  { role: 'admin' as const, key: 'a'.repeat(24) },
  { role: 'viewer' as const, key: 'b'.repeat(24) },
];

describe('sessionSecret', () => {
  it('is the same for the same configuration, whatever the order of the keys', () => {
    expect(sessionSecret(undefined, keys)).toEqual(sessionSecret(undefined, [...keys].reverse()));
  });

  it('changes with the keys and with SESSION_SECRET', () => {
    const derived = sessionSecret(undefined, keys);
    expect(sessionSecret(undefined, keys.slice(1))).not.toEqual(derived);
    expect(sessionSecret('s'.repeat(32), keys)).not.toEqual(derived);
    expect(sessionSecret('s'.repeat(32), keys)).toEqual(sessionSecret('s'.repeat(32), []));
  });
});

describe('SessionSigner', () => {
  const signer = new SessionSigner(sessionSecret(undefined, keys));

  it('verifies what it issued, on any signer with the same secret (another replica)', () => {
    const { token, claims } = signer.issue('admin:0123456789ab', 60_000);
    expect(signer.verify(token)).toEqual(claims);
    expect(new SessionSigner(sessionSecret(undefined, keys)).verify(token)).toEqual(claims);
    expect(token).not.toContain('a'.repeat(24));
  });

  it('refuses an expired token, another secret, and any edited part', () => {
    const now = Date.now();
    const { token } = signer.issue('viewer:0123456789ab', 1_000, now);
    expect(signer.verify(token, now + 1_000)).toBeUndefined();
    expect(new SessionSigner(sessionSecret('x'.repeat(32), keys)).verify(token)).toBeUndefined();
    const [v, payload = '', mac = ''] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ kid: 'admin:0123456789ab', exp: now + 60_000, nonce: 'n' }),
    ).toString('base64url');
    expect(signer.verify(`${v}.${forged}.${mac}`)).toBeUndefined();
    expect(signer.verify(`v2.${payload}.${mac}`)).toBeUndefined();
    expect(signer.verify(`${v}.${payload}.`)).toBeUndefined();
    expect(signer.verify('garbage')).toBeUndefined();
  });

  it('says when the session was issued, so a cutoff can name the sessions before it', () => {
    const now = Date.now();
    const { token, claims } = signer.issue('viewer:0123456789ab', 60_000, now);
    expect(claims).toMatchObject({ iat: now, exp: now + 60_000 });
    expect(signer.verify(token, now)?.iat).toBe(now);
  });

  it('binds the CSRF token to one session', () => {
    const one = signer.issue('admin:0123456789ab', 60_000).claims;
    const two = signer.issue('admin:0123456789ab', 60_000).claims;
    expect(signer.csrfMatches(one, signer.csrfToken(one))).toBe(true);
    expect(signer.csrfMatches(one, signer.csrfToken(two))).toBe(false);
    expect(signer.csrfMatches(one, undefined)).toBe(false);
    expect(signer.csrfMatches(one, '')).toBe(false);
  });
});
