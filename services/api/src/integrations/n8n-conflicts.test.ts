import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { exampleMessages } from '@pricebook/contracts';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  docsFile,
  loadWorkflow,
  type N8nItem,
  type N8nWorkflow,
  nextNodes,
  nodeNamed,
  runCode,
  runWorkflow,
} from '../test-support/n8n';

// docs/integrations/n8n-conflicts-to-slack.json: receives `conflict.opened`, checks its Standard
// Webhooks signature in a Code node, answers 401 to a forgery and posts the conflict to Slack.
const file = 'n8n-conflicts-to-slack.json';
const workflow: N8nWorkflow = loadWorkflow(file);
const verifyCode = String(nodeNamed(workflow, 'Verify signature').parameters.jsCode);

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const slackUrl = 'https://hooks.slack.invalid/services/T000/B000/test';
const vars = { PRICEBOOK_WEBHOOK_SECRET: secret, SLACK_WEBHOOK_URL: slackUrl };

/** A `conflict.opened` delivery body: the public event, under its webhook name. */
function conflictBody(overrides: Record<string, unknown> = {}): string {
  const event = exampleMessages['record.conflicted'];
  return JSON.stringify({
    id: event.id,
    type: 'conflict.opened',
    timestamp: event.occurredAt,
    tenant: event.tenant,
    correlationId: event.correlationId,
    data: event.data,
    ...overrides,
  });
}

interface Delivery {
  body: string;
  id?: string;
  at?: Date;
  /** The `webhook-timestamp` sent, when it is not the one signed. */
  sentAt?: Date;
  signature?: string;
  signWith?: string;
}

const seconds = (at: Date) => String(Math.floor(at.getTime() / 1000));

/** The headers a delivery carries, signed by the `standardwebhooks` package itself. */
function headersOf(d: Delivery): Record<string, string> {
  const id = d.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const at = d.at ?? new Date();
  return {
    'webhook-id': id,
    'webhook-timestamp': seconds(d.sentAt ?? at),
    'webhook-signature': d.signature ?? new Webhook(d.signWith ?? secret).sign(id, at, d.body),
    'content-type': 'application/json',
  };
}

/** What n8n's Webhook node (Raw Body on) hands the next node: parsed JSON plus the exact bytes. */
function webhookItem(d: Delivery, headers = headersOf(d)): N8nItem {
  return {
    json: { headers, params: {}, query: {}, body: JSON.parse(d.body) },
    binary: { data: { data: Buffer.from(d.body).toString('base64'), mimeType: 'application/json' } },
  };
}

/** Whether the `standardwebhooks` verifier accepts the delivery. */
function libraryAccepts(d: Delivery, headers = headersOf(d)): boolean {
  try {
    new Webhook(secret).verify(d.body, headers);
    return true;
  } catch {
    return false;
  }
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe(`docs/integrations/${file}`, () => {
  it('receives POSTs on a Webhook node that keeps the raw body and lets the workflow answer', () => {
    const webhook = nodeNamed(workflow, 'Pricebook webhook');
    expect(webhook.type).toBe('n8n-nodes-base.webhook');
    expect(webhook.parameters).toMatchObject({
      httpMethod: 'POST',
      path: 'pricebook-conflicts',
      responseMode: 'responseNode',
      options: { rawBody: true },
    });
    expect(nextNodes(workflow, webhook.name)).toEqual(['Verify signature']);
  });

  it('verifies in a Code node, answers 401 to a bad signature, posts conflicts and acknowledges the rest', () => {
    expect(nodeNamed(workflow, 'Verify signature').type).toBe('n8n-nodes-base.code');
    for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(verifyCode).toContain(`'${header}'`);
    }
    expect(nextNodes(workflow, 'Verify signature')).toEqual(['Signature valid?']);
    expect(nextNodes(workflow, 'Signature valid?', 0)).toEqual(['Conflict opened?']);
    expect(nextNodes(workflow, 'Signature valid?', 1)).toEqual(['Refuse (401)']);
    expect(nodeNamed(workflow, 'Refuse (401)')).toMatchObject({
      type: 'n8n-nodes-base.respondToWebhook',
      parameters: { options: { responseCode: 401 } },
    });
    expect(nextNodes(workflow, 'Conflict opened?', 0)).toEqual(['Format message']);
    expect(nextNodes(workflow, 'Conflict opened?', 1)).toEqual(['Accept (204)']);
    expect(nextNodes(workflow, 'Format message')).toEqual(['Post to Slack']);
    expect(nextNodes(workflow, 'Post to Slack')).toEqual(['Accept (204)']);
    expect(nodeNamed(workflow, 'Accept (204)')).toMatchObject({
      type: 'n8n-nodes-base.respondToWebhook',
      parameters: { respondWith: 'noData', options: { responseCode: 204 } },
    });
    const slack = nodeNamed(workflow, 'Post to Slack');
    expect(slack.type).toBe('n8n-nodes-base.httpRequest');
    expect(slack.parameters).toMatchObject({ method: 'POST', sendBody: true, specifyBody: 'json' });
  });

  it('names every node once and connects only nodes it has', () => {
    const names = workflow.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    for (const [from, { main }] of Object.entries(workflow.connections)) {
      expect(names).toContain(from);
      for (const target of main.flat()) expect(names).toContain(target.node);
    }
  });

  it('holds no secret: the signing secret and the Slack URL come from n8n variables, no credential ids', () => {
    const text = readFileSync(docsFile(file), 'utf8');
    expect(text).not.toMatch(/whsec_[A-Za-z0-9+/]{8,}/);
    expect(text).not.toMatch(/hooks\.slack\.com/);
    expect(String(nodeNamed(workflow, 'Post to Slack').parameters.url)).toBe(
      '={{ $vars.SLACK_WEBHOOK_URL || $env.SLACK_WEBHOOK_URL }}',
    );
    expect(verifyCode).toContain("setting('PRICEBOOK_WEBHOOK_SECRET')");
    for (const node of workflow.nodes) {
      for (const credential of Object.values(node.credentials ?? {}))
        expect(credential).not.toHaveProperty('id');
    }
    // Its Code nodes need only the one built-in NODE_FUNCTION_ALLOW_BUILTIN=crypto allows.
    const requires = workflow.nodes.flatMap((n) => [
      ...String(n.parameters.jsCode ?? '').matchAll(/require\(([^)]*)\)/g),
    ]);
    expect(requires.map((m) => m[1])).toEqual(["'crypto'"]);
  });
});

describe('the Verify signature Code node', () => {
  const verdict = async (d: Delivery, headers = headersOf(d)) => {
    const [out] = await runCode(verifyCode, [webhookItem(d, headers)], { vars });
    return out?.json;
  };

  it('accepts a delivery signed by the standardwebhooks package and hands on the event', async () => {
    const body = conflictBody();
    const out = await verdict({ body });
    expect(out).toMatchObject({
      valid: true,
      type: 'conflict.opened',
      webhookId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    });
    expect(out?.event).toEqual(JSON.parse(body));
  });

  const cases: Array<[string, () => { d: Delivery; headers?: Record<string, string> }, boolean]> = [
    ['a fresh signature', () => ({ d: { body: conflictBody() } }), true],
    ['a timestamp 4 minutes old', () => ({ d: { body: conflictBody(), at: minutes(-4) } }), true],
    ['a timestamp 4 minutes ahead', () => ({ d: { body: conflictBody(), at: minutes(4) } }), true],
    [
      'a second signature made with the current secret, while the sender rotates',
      () => {
        const d = { body: conflictBody() };
        const good = headersOf(d)['webhook-signature'];
        const old = headersOf({ ...d, signWith: `whsec_${randomBytes(32).toString('base64')}` });
        return { d: { ...d, signature: `${old['webhook-signature']} ${good}` } };
      },
      true,
    ],
    [
      'a body changed after signing',
      () => {
        const d = { body: conflictBody() };
        const headers = headersOf(d);
        return { d: { body: d.body.replace('"both_modified"', '"st_deleted_local_modified"') }, headers };
      },
      false,
    ],
    [
      'a signature with one character changed',
      () => {
        const d = { body: conflictBody() };
        const headers = headersOf(d);
        const signature = String(headers['webhook-signature']);
        const flipped = `${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
        return { d, headers: { ...headers, 'webhook-signature': flipped } };
      },
      false,
    ],
    [
      'a signature made with another secret',
      () => ({ d: { body: conflictBody(), signWith: `whsec_${randomBytes(32).toString('base64')}` } }),
      false,
    ],
    ['a timestamp 6 minutes old', () => ({ d: { body: conflictBody(), at: minutes(-6) } }), false],
    ['a timestamp 6 minutes ahead', () => ({ d: { body: conflictBody(), at: minutes(6) } }), false],
    [
      'an old delivery replayed with a fresh timestamp',
      () => ({ d: { body: conflictBody(), at: minutes(-10), sentAt: new Date() } }),
      false,
    ],
    [
      'another webhook-id than the one signed',
      () => {
        const d = { body: conflictBody() };
        return { d, headers: { ...headersOf(d), 'webhook-id': 'msg_other' } };
      },
      false,
    ],
    [
      'a v2 signature',
      () => {
        const d = { body: conflictBody() };
        const headers = headersOf(d);
        return {
          d,
          headers: {
            ...headers,
            'webhook-signature': String(headers['webhook-signature']).replace('v1,', 'v2,'),
          },
        };
      },
      false,
    ],
    [
      'no signature header',
      () => {
        const d = { body: conflictBody() };
        const { 'webhook-signature': _dropped, ...headers } = headersOf(d);
        return { d, headers };
      },
      false,
    ],
  ];

  it.each(cases)('judges %s as the standardwebhooks verifier does', async (_name, make, accepted) => {
    const { d, headers } = make();
    const sent = headers ?? headersOf(d);
    expect(libraryAccepts(d, sent)).toBe(accepted);
    const out = await verdict(d, sent);
    expect(out?.valid).toBe(accepted);
    if (!accepted) expect(out?.reason).toEqual(expect.any(String));
  });

  it('reads the secret from an environment variable when the instance allows it', async () => {
    const d = { body: conflictBody() };
    const [out] = await runCode(verifyCode, [webhookItem(d)], { env: { PRICEBOOK_WEBHOOK_SECRET: secret } });
    expect(out?.json.valid).toBe(true);
  });

  it('fails the execution, rather than refusing, when no secret is set or Raw Body is off', async () => {
    const d = { body: conflictBody() };
    await expect(runCode(verifyCode, [webhookItem(d)], {})).rejects.toThrow(/PRICEBOOK_WEBHOOK_SECRET/);
    const { binary: _raw, ...parsedOnly } = webhookItem(d);
    await expect(runCode(verifyCode, [parsedOnly], { vars })).rejects.toThrow(/Raw Body/);
  });
});

describe('the conflicts workflow, run', () => {
  type Post = { url: string; method: string; body: unknown };
  const run = async (d: Delivery, headers?: Record<string, string>, more: Record<string, string> = {}) => {
    const posts: Post[] = [];
    const result = await runWorkflow(workflow, 'Verify signature', [webhookItem(d, headers)], {
      vars: { ...vars, ...more },
      fetch: async (url, init) => {
        posts.push({ url, method: init.method, body: JSON.parse(init.body ?? 'null') });
        return new Response('ok', { headers: { 'content-type': 'text/plain' } });
      },
    });
    return { response: result.response, posts };
  };

  it('posts one Slack message per conflict.opened and answers 204', async () => {
    const { response, posts } = await run({ body: conflictBody() }, undefined, {
      PRICEBOOK_CONSOLE_URL: 'https://pricebook.example.com/admin/',
    });
    expect(response).toEqual({ status: 204, body: undefined });
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ url: slackUrl, method: 'POST' });
    const { text } = (posts[0]?.body ?? {}) as { text: string };
    const { data } = exampleMessages['record.conflicted'];
    expect(text).toContain('materials');
    expect(text).toContain('CU-12-10');
    expect(text).toContain('both_modified');
    expect(text).toContain('price');
    expect(text).toContain(`<https://pricebook.example.com/admin/conflicts/${data.conflictId}|`);
  });

  it('escapes what Slack would read as markup, and names the CLI without a console URL', async () => {
    const event = exampleMessages['record.conflicted'];
    const after = { ...event.data.after, displayName: 'Pipe <b> & "fittings"' };
    const { posts } = await run({ body: conflictBody({ data: { ...event.data, after } }) });
    const { text } = (posts[0]?.body ?? {}) as { text: string };
    expect(text).toContain('Pipe &lt;b&gt; &amp; "fittings"');
    expect(text).toContain(`pricebook conflicts show ${event.data.conflictId}`);
  });

  it('answers 401 to a forged delivery and posts nothing', async () => {
    const d = { body: conflictBody() };
    const forged = { ...headersOf(d), 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` };
    const { response, posts } = await run(d, forged);
    expect(response).toEqual({ status: 401, body: 'invalid webhook signature' });
    expect(posts).toEqual([]);
  });

  it('acknowledges another event type with 204 and posts nothing', async () => {
    const { response, posts } = await run({ body: conflictBody({ type: 'conflict.resolved' }) });
    expect(response).toEqual({ status: 204, body: undefined });
    expect(posts).toEqual([]);
  });
});
