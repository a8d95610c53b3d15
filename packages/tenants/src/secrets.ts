import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One key of `TENANT_SECRETS_KEYS`: an id (stored beside each ciphertext) and 32 bytes. */
export interface SecretsKey {
  id: string;
  key: Buffer;
}

const keyId = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `TENANT_SECRETS_KEYS`: comma-separated `id:base64` pairs, each key 32 random bytes
 * (`openssl rand -base64 32`). The first seals; the others only open what they sealed before, so
 * a rotation adds a new key in front, re-seals (see `TenantStore.reseal`), then drops the old one.
 * Problems are described by position, never by echoing a key.
 *
 * @example
 * parseSecretsKeys(`k2:${newKey},k1:${oldKey}`).keys[0].id; // 'k2'
 */
export function parseSecretsKeys(value: string): { keys: SecretsKey[]; problems: string[] } {
  const keys: SecretsKey[] = [];
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  entries.forEach((entry, index) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at);
    const key = Buffer.from(at < 0 ? '' : entry.slice(at + 1), 'base64');
    const position = `entry ${index + 1}`;
    if (!keyId.test(id)) problems.push(`${position} needs an id of letters, digits, - or _ before ':'`);
    else if (key.length !== 32)
      problems.push(`${position}: a key is 32 bytes in base64 (openssl rand -base64 32)`);
    else if (keys.some((k) => k.id === id)) problems.push(`${position} repeats the id ${id}`);
    else keys.push({ id, key });
  });
  if (entries.length === 0) problems.push('no keys: expected comma-separated id:base64 pairs');
  return { keys, problems };
}

const format = 'v1';

/**
 * Seals and opens tenant credentials with AES-256-GCM. Each ciphertext is bound to its tenant and
 * field (additional data), so a value copied into another row or column does not open.
 *
 * @example
 * const box = new SecretBox(keys);
 * const sealed = box.seal('secret', { tenantId: '1001', field: 'clientSecret' });
 * box.open(sealed, { tenantId: '1001', field: 'clientSecret' }); // 'secret'
 */
export class SecretBox {
  readonly #keys: readonly SecretsKey[];

  constructor(keys: readonly SecretsKey[]) {
    if (keys.length === 0) throw new Error('a secret box needs at least one key');
    this.#keys = keys;
  }

  /** The id of the key that seals. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  get #current(): SecretsKey {
    const [current] = this.#keys;
    if (!current) throw new Error('a secret box needs at least one key');
    return current;
  }

  seal(plaintext: string, binding: SecretBinding): string {
    const { id, key } = this.#current;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [format, id, ...parts].join('.');
  }

  /** Throws `SecretUnreadableError` (naming the key id, never a value) when it cannot. */
  open(sealed: string, binding: SecretBinding): string {
    const [version, id, iv, tag, body] = sealed.split('.');
    if (version !== format || !id || !iv || !tag || body === undefined) {
      throw new SecretUnreadableError(`the ${binding.field} of tenant ${binding.tenantId} is not sealed`);
    }
    const found = this.#keys.find((k) => k.id === id);
    if (!found) {
      throw new SecretUnreadableError(
        `the ${binding.field} of tenant ${binding.tenantId} was sealed with key ${id}, which TENANT_SECRETS_KEYS no longer holds`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', found.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretUnreadableError(
        `the ${binding.field} of tenant ${binding.tenantId} does not open with key ${id}`,
      );
    }
  }

  /** The key id a sealed value names. */
  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }
}

/** What a sealed value belongs to. */
export interface SecretBinding {
  tenantId: string;
  /** A tenant credential, or the signing secret of one webhook subscription (by its id). */
  field: 'clientSecret' | 'appKey' | `webhookSecret:${string}`;
}

const aad = (binding: SecretBinding) => Buffer.from(`pricebook-tenant:${binding.tenantId}:${binding.field}`);

export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
}
