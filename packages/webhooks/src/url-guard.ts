import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '@pricebook/errors';
import ipaddr from 'ipaddr.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface UrlGuardOptions {
  /** `WEBHOOKS_ALLOW_PRIVATE_URLS`: allow `http` and addresses outside the public ranges. */
  allowPrivate: boolean;
  /** Resolves a host name (default: the system resolver, every address). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

/** A receiver URL that passed the guard, and the address to connect to (the one that was checked). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why a URL was refused; `reason` is a stable word for tests and the problem's details. */
export class WebhookUrlRefused extends AppError {
  readonly reason: 'invalid' | 'scheme' | 'credentials' | 'unresolvable' | 'private_address';

  constructor(reason: WebhookUrlRefused['reason'], message: string) {
    super('validation_failed', message, { details: { field: 'url', reason } });
    this.reason = reason;
  }
}

const systemResolve = async (host: string): Promise<ResolvedAddress[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** `::/8`, reserved by the IETF; it holds the deprecated IPv4-compatible form `::a.b.c.d`. */
const reservedIpv6Zero = ipaddr.parseCIDR('::/8');

/**
 * The range of an address as ipaddr.js names it (`unicast` for a public one), looking through
 * an IPv4-mapped IPv6 address (`::ffff:10.0.0.1` is `private`). ipaddr.js calls the IPv4-compatible
 * form `unicast` once it is written in hex, as a URL writes it (`[::127.0.0.1]` becomes
 * `[::7f00:1]`); the whole of `::/8` is `reserved` here.
 *
 * @example
 * addressRange('169.254.169.254'); // 'linkLocal'
 * addressRange('::ffff:127.0.0.1'); // 'loopback'
 * addressRange('::7f00:1'); // 'reserved'
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && parsed.match(reservedIpv6Zero)) return 'reserved';
  return range;
}

/**
 * Whether an address is public: only ipaddr.js's `unicast` is. Loopback, private, link-local
 * (the cloud metadata address 169.254.169.254 among them), carrier-grade NAT, unique-local IPv6,
 * unspecified, multicast, broadcast, reserved and the IPv6 ranges that embed an IPv4 address
 * (IPv4-compatible, 6to4, Teredo, NAT64) are not.
 */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && addressRange(address) === 'unicast';
}

/**
 * Checks a webhook receiver URL against server-side request forgery: `https` only, no user info,
 * and a host whose every address is public. Without `allowPrivate` a refused URL throws
 * {@link WebhookUrlRefused} (400, naming why). The caller connects to `address`, never resolving
 * the name again, so a name that changes its answer (DNS rebinding) cannot slip past the check.
 *
 * @example
 * const target = await checkWebhookUrl('https://hooks.example.com/x', { allowPrivate: false });
 * https.request(target.url, { lookup: pinnedLookup(target) });
 */
export async function checkWebhookUrl(raw: string, options: UrlGuardOptions): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('invalid', 'the webhook URL is not a URL');
  }
  const schemes = options.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    throw new WebhookUrlRefused(
      'scheme',
      options.allowPrivate ? 'a webhook URL is http or https' : 'a webhook URL must be https',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new WebhookUrlRefused('credentials', 'a webhook URL carries no user name or password');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch {
      addresses = [];
    }
  }
  const [first] = addresses;
  if (!first) throw new WebhookUrlRefused('unresolvable', `the webhook host ${host} does not resolve`);
  if (!options.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      throw new WebhookUrlRefused(
        'private_address',
        `the webhook host ${host} resolves to ${refused.address}, a ${addressRange(refused.address)} address; ` +
          'only public addresses are allowed',
      );
    }
  }
  return { url, address: first.address, family: first.family };
}
