import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { webhookResponseExcerptBytes } from '@pricebook/contracts';
import type { CheckedTarget } from '@pricebook/webhooks';

/** What a receiver answered. */
export interface Answer {
  status: number;
  /** `Retry-After` in milliseconds, when it gave one (seconds or an HTTP date). */
  retryAfterMs: number | undefined;
  /** The start of the response body (at most 1 KB), for the attempt log; null when it sent none. */
  excerpt: string | null;
}

/**
 * The first bytes of a response body as text for the attempt log: at most the excerpt's size,
 * without NUL characters (PostgreSQL text cannot hold them); null when empty.
 */
export function excerptOf(body: Buffer): string | null {
  const text = body.subarray(0, webhookResponseExcerptBytes).toString('utf8').replaceAll('\u0000', '');
  return text.length > 0 ? text : null;
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A resolver that answers with the address the URL guard checked, whatever it is asked. */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (_host, options, callback) => {
    const done = callback as (
      err: NodeJS.ErrnoException | null,
      address: string | Array<{ address: string; family: number }>,
      family?: number,
    ) => void;
    if (options.all) done(null, [{ address: target.address, family: target.family }]);
    else done(null, target.address, target.family);
  };
}

/**
 * POSTs one body to a checked receiver, connecting to the checked address (never resolving the
 * name again), following no redirect, and giving up after `timeoutMs`. Resolves with the status
 * and the first 1 KB of the body (read no further: a receiver's large or endless body costs
 * nothing more); rejects on a network error or the timeout before the headers.
 *
 * @example
 * const answer = await postTo(target, body, { 'webhook-id': id, … }, 15_000);
 */
export function postTo(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Answer> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'pricebook-webhooks/1',
        },
        lookup: pinnedLookup(target),
        // A fresh connection per attempt: a pooled one might be to an address checked for another URL.
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const after = retryAfterMs(response.headers['retry-after']);
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        // The status is known: a body cut short (timeout, reset) still ends with what came.
        const finish = () => {
          if (done) return;
          done = true;
          response.destroy();
          resolve({ status, retryAfterMs: after, excerpt: excerptOf(Buffer.concat(chunks)) });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= webhookResponseExcerptBytes) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
        response.on('close', finish);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
