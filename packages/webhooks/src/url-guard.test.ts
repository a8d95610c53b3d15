import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress, type ResolvedAddress, WebhookUrlRefused } from './url-guard';

const resolvingTo =
  (...addresses: string[]) =>
  async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(url: string, resolve = resolvingTo('93.184.215.14')): Promise<string | undefined> {
  try {
    await checkWebhookUrl(url, { allowPrivate: false, resolve });
    return undefined;
  } catch (err) {
    if (err instanceof WebhookUrlRefused) return err.reason;
    throw err;
  }
}

describe('isPublicAddress', () => {
  it('refuses every private, local and special range', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '2002:a00:1::',
      '64:ff9b::a00:1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('accepts public unicast addresses', () => {
    for (const address of ['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.215.14']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });
});

describe('checkWebhookUrl', () => {
  it('takes an https URL of a public host and names the address to connect to', async () => {
    const target = await checkWebhookUrl('https://hooks.example.com/x', {
      allowPrivate: false,
      resolve: resolvingTo('93.184.215.14'),
    });
    expect(target.address).toBe('93.184.215.14');
    expect(target.url.hostname).toBe('hooks.example.com');
  });

  it('refuses http, user info, private literals and names resolving to any private address', async () => {
    expect(await refusal('http://hooks.example.com/x')).toBe('scheme');
    expect(await refusal('https://user:pw@hooks.example.com/x')).toBe('credentials');
    expect(await refusal('https://127.0.0.1/x')).toBe('private_address');
    expect(await refusal('https://[::1]/x')).toBe('private_address');
    expect(await refusal('https://169.254.169.254/latest/meta-data')).toBe('private_address');
    expect(await refusal('https://h.example.com/x', resolvingTo('93.184.215.14', '10.0.0.7'))).toBe(
      'private_address',
    );
    expect(await refusal('https://nowhere.invalid/x', resolvingTo())).toBe('unresolvable');
  });

  it('refuses the IPv4-compatible IPv6 form a URL normalises an embedded IPv4 address to', async () => {
    // new URL('https://[::127.0.0.1]/').hostname is '[::7f00:1]'.
    expect(await refusal('https://[::127.0.0.1]/x')).toBe('private_address');
    expect(await refusal('https://[::169.254.169.254]/x')).toBe('private_address');
    expect(await refusal('https://[::a00:1]/x')).toBe('private_address');
    expect(await refusal('https://h.example.com/x', resolvingTo('::7f00:1'))).toBe('private_address');
    expect(isPublicAddress('::7f00:1')).toBe(false);
  });

  it('allows http and private addresses when the operator says so', async () => {
    const target = await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowPrivate: true });
    expect(target.address).toBe('127.0.0.1');
  });

  it('refuses a refused URL as a 400 naming the field', async () => {
    const err = await checkWebhookUrl('https://10.0.0.1/', { allowPrivate: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookUrlRefused);
    expect((err as WebhookUrlRefused).status).toBe(400);
    expect((err as WebhookUrlRefused).details).toMatchObject({ field: 'url', reason: 'private_address' });
  });
});
