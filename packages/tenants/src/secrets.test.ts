import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretsKeys, SecretBox, SecretUnreadableError } from './secrets';

const key = () => randomBytes(32);
const binding = { tenantId: '1001', field: 'clientSecret' } as const;

describe('parseSecretsKeys', () => {
  it('reads id:base64 pairs, the first one sealing', () => {
    const [a, b] = [key(), key()];
    const { keys, problems } = parseSecretsKeys(`k2:${a.toString('base64')}, k1:${b.toString('base64')}`);
    expect(problems).toEqual([]);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0]?.key.equals(a)).toBe(true);
  });

  it('names bad entries by position and never echoes a key', () => {
    const short = Buffer.from('too short').toString('base64');
    const { problems } = parseSecretsKeys(
      `k1:${short},nocolon,k1:${key().toString('base64')},k1:${key().toString('base64')}`,
    );
    expect(problems).toEqual([
      'entry 1: a key is 32 bytes in base64 (openssl rand -base64 32)',
      "entry 2 needs an id of letters, digits, - or _ before ':'",
      'entry 4 repeats the id k1',
    ]);
    expect(problems.join(' ')).not.toContain(short);
    expect(parseSecretsKeys(' , ').problems).toEqual(['no keys: expected comma-separated id:base64 pairs']);
  });
});

describe('SecretBox', () => {
  it('opens what it sealed, and the ciphertext does not hold the plaintext', () => {
    const box = new SecretBox([{ id: 'k1', key: key() }]);
    const sealed = box.seal('cs1.very-secret', binding);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(sealed).not.toContain('very-secret');
    expect(box.open(sealed, binding)).toBe('cs1.very-secret');
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(box.seal('cs1.very-secret', binding)).not.toBe(sealed);
  });

  it('refuses a value moved to another tenant or field', () => {
    const box = new SecretBox([{ id: 'k1', key: key() }]);
    const sealed = box.seal('cs1.very-secret', binding);
    expect(() => box.open(sealed, { tenantId: '1002', field: 'clientSecret' })).toThrow(
      SecretUnreadableError,
    );
    expect(() => box.open(sealed, { tenantId: '1001', field: 'appKey' })).toThrow(SecretUnreadableError);
  });

  it('opens with an older key after a rotation and names a key that is gone', () => {
    const [oldKey, newKey] = [
      { id: 'k1', key: key() },
      { id: 'k2', key: key() },
    ];
    const sealed = new SecretBox([oldKey]).seal('ak1.app', { tenantId: '1001', field: 'appKey' });
    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(sealed, { tenantId: '1001', field: 'appKey' })).toBe('ak1.app');
    expect(() => new SecretBox([newKey]).open(sealed, { tenantId: '1001', field: 'appKey' })).toThrow(
      'the appKey of tenant 1001 was sealed with key k1, which TENANT_SECRETS_KEYS no longer holds',
    );
  });

  it('refuses a tampered ciphertext without saying more than which key failed', () => {
    const box = new SecretBox([{ id: 'k1', key: key() }]);
    const parts = box.seal('cs1.very-secret', binding).split('.');
    parts[4] = Buffer.from('forged').toString('base64url');
    expect(() => box.open(parts.join('.'), binding)).toThrow(
      'the clientSecret of tenant 1001 does not open with key k1',
    );
    expect(() => box.open('plain text', binding)).toThrow('the clientSecret of tenant 1001 is not sealed');
  });
});
