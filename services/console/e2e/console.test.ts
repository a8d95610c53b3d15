import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FakeChat,
  lastToolResult,
  type ServiceProcess,
  type Stack,
  startFakeChat,
  startService,
  startStack,
} from '@pricebook/testing';
import {
  type ConsoleEntry,
  launchBrowser,
  type Page,
  type TestBrowser,
  watchConsole,
} from '@pricebook/testing/browser';
import { until } from '@pricebook/testing/vitest';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counted } from '../src/lib/format';
import { api, checkPage, ensureConsoleBuilt, settled, syncNow } from './support';

// The console in Debian's Chromium against the whole engine: every service as its own process,
// the ServiceTitan sandbox, real PostgreSQL and JetStream. The tests run in order, as one person's
// session: sign in, sync, settle a conflict, edit an item.

let stack: Stack;
/** The assistant's model: an OpenAI-compatible fake that plays each test's script. */
let chat: FakeChat;
let browser: TestBrowser;
let page: Page;
let errors: ConsoleEntry[];

/**
 * Answers the browser reports as errors that the tests cause on purpose: the console asks who it
 * is on load (a 401 there, or for a wrong key, means "signed out"), and the assistant's model is
 * made to fail once (the API's 503 naming it).
 */
const expectedErrors = (e: ConsoleEntry) => {
  const path = new URL(e.url || 'http://x/').pathname;
  return (
    (e.text.includes('status of 401') && path === '/api/session') ||
    (e.text.includes('status of 503') && path === '/api/assistant/chat')
  );
};

beforeAll(async () => {
  await ensureConsoleBuilt();
  chat = await startFakeChat();
  [stack, browser] = await Promise.all([
    startStack({
      sandbox: { items: 24, seed: 11 },
      // Lets the Tenants page store a tenant's credentials (and the Webhooks page seal secrets);
      // the webhook receiver of this test listens on 127.0.0.1.
      env: {
        TENANT_SECRETS_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
        WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
        // A failed delivery is tried again after a second, not the production schedule's 5 s.
        WEBHOOKS_RETRY_SCHEDULE_MS: '0,1000,1000,1000',
        WEBHOOKS_POLL_MS: '200',
        ASSISTANT_URL: chat.url,
        ASSISTANT_MODEL: 'fake-console',
      },
    }),
    launchBrowser(),
  ]);
  page = await browser.context.newPage();
  errors = watchConsole(page, expectedErrors);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await chat?.close();
});

const admin = (path = '') => `${stack.api.url}/admin/${path}`;
/** A link of the console's main navigation. */
const section = (name: string) =>
  page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });

describe('the console', () => {
  it('refuses a wrong key, then signs in with the right one', async () => {
    await page.goto(admin());
    await page.getByLabel('API key').waitFor();
    await checkPage(page, 'sign-in');
    await page.getByLabel('API key').fill('not-a-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'the API key is not valid' }).waitFor();
    await page.getByLabel('API key').fill(stack.api.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    // The session is an HttpOnly cookie: the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('pricebook_session');
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'pricebook_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
  });

  it('starts a full sync and follows it live to completed', async () => {
    await section('Syncs').click();
    await page.getByRole('heading', { name: 'Syncs', level: 1 }).waitFor();
    await checkPage(page, 'syncs-empty');
    await page.getByRole('radio', { name: /Full/ }).check();
    await page.getByRole('button', { name: 'Start sync' }).click();
    await page.waitForURL(/\/admin\/syncs\/[0-9a-f-]{36}$/);
    await page.getByTestId('sync-status').getByText('completed').waitFor({ timeout: 90_000 });
    const id = page.url().split('/').pop() ?? '';
    const log = await api<{ log: { status: string; stats: { created: number } } }>(
      stack,
      'GET',
      `/api/sync/pricebook/logs/${id}`,
    );
    expect(log.body.log).toMatchObject({ status: 'completed', stats: { created: expect.any(Number) } });
    expect(log.body.log.stats.created).toBeGreaterThan(0);
    await checkPage(page, 'sync');
  });

  it('shows the overview of a pricebook in step', async () => {
    await section('Overview').click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await settled(page);
    await page.getByText('Last successful sync').waitFor();
    await checkPage(page, 'overview');
    // A tablet held upright: the same page, reflowed to one column.
    await page.setViewportSize({ width: 820, height: 1180 });
    await checkPage(page, 'overview-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('checks for drift from the overview and shows the pricebook in sync', async () => {
    await section('Overview').click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    // The check runs in the fetcher: the overview shows its report once it is in.
    await until('the drift report', async () => {
      await page.reload();
      await page.getByRole('button', { name: 'Check now' }).waitFor();
      return (await page.getByText('in sync', { exact: true }).count()) > 0;
    });
    const drift = await api<{ drift: { state: string } }>(stack, 'GET', '/api/drift');
    expect(drift.body.drift.state).toBe('in_sync');
  });

  it('settles a conflict field by field, and ServiceTitan holds the chosen values after the next sync', async () => {
    const [item] = await stack.sandbox.control.items('materials');
    if (!item) throw new Error('the sandbox has no material');
    const stId = Number(item.id);
    const base = { price: Number(item.price), memberPrice: Number(item.memberPrice) };
    // Both sides change price and memberPrice differently: two disputed fields.
    await stack.sandbox.control.editItem('materials', stId, {
      price: base.price + 20,
      memberPrice: base.memberPrice + 2,
    });
    const local = { price: base.price + 10, memberPrice: base.memberPrice + 1 };
    expect((await api(stack, 'PATCH', `/api/pricebook/materials/st:${stId}`, local)).status).toBe(200);
    await syncNow(stack, 'incremental', { resolveConflicts: 'manual', entityTypes: ['materials'] });

    await section('Conflicts').click();
    await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
    await checkPage(page, 'conflicts');
    await page.getByRole('link', { name: `materials ${stId}` }).click();
    await page.getByRole('heading', { name: `Conflict on materials ${stId}` }).waitFor();
    await settled(page);

    // memberPrice: the local value; price: a value typed by the person.
    const typed = Math.round((base.price + 15.25) * 100) / 100;
    await page.getByRole('group', { name: 'Value to keep for memberPrice' }).getByLabel('Local').check();
    await page.getByRole('group', { name: 'Value to keep for price' }).getByLabel('Typed').check();
    await page.getByLabel('Typed value for price').fill(String(typed));
    await checkPage(page, 'conflict');
    await page.getByRole('button', { name: 'Resolve with my choices' }).click();
    await page.getByRole('region', { name: 'Resolution result' }).getByText('resolved').waitFor();

    await syncNow(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    await until(
      'ServiceTitan to hold the chosen values',
      async () => {
        const st = await stack.sandbox.control.item('materials', stId);
        return Number(st.price) === typed && Number(st.memberPrice) === local.memberPrice;
      },
      60_000,
    );
  });

  it('shows a dry run as a plan: field diffs, price changes and the largest one', async () => {
    const items = await stack.sandbox.control.items('materials');
    const item = items[1];
    if (!item) throw new Error('the sandbox has too few materials');
    await stack.sandbox.control.editItem('materials', Number(item.id), { price: Number(item.price) * 2 });
    await section('Syncs').click();
    await page.getByRole('heading', { name: 'Syncs', level: 1 }).waitFor();
    await page.getByRole('checkbox', { name: /Dry run/ }).check();
    await page.getByRole('button', { name: 'Start sync' }).click();
    await page.waitForURL(/\/admin\/syncs\/[0-9a-f-]{36}$/);
    await page.getByTestId('sync-status').getByText('completed').waitFor({ timeout: 90_000 });
    const plan = page.getByRole('region', { name: 'Plan' });
    await plan.getByText('+100.0 %').waitFor();
    expect(await plan.textContent()).toContain(`materials ${item.id}`);
    await checkPage(page, 'dry-run');
    // Nothing changed locally: the row still has the old price.
    const local = await api<{ item: { record: { price: number } } }>(
      stack,
      'GET',
      `/api/pricebook/materials/st:${item.id}`,
    );
    expect(local.body.item.record.price).toBe(Number(item.price));
  });

  it('edits an item with If-Match: it shows as pending, and the change is in its history', async () => {
    await section('Pricebook').click();
    await page.getByRole('heading', { name: 'Pricebook', level: 1 }).waitFor();
    await checkPage(page, 'pricebook');
    await page.locator('table tbody tr a').nth(3).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await settled(page);
    const price = page.getByLabel('price', { exact: true });
    const next = Math.round((Number(await price.inputValue()) + 3.5) * 100) / 100;
    await price.fill(String(next));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('item-status').getByText('pending sync').waitFor();
    const timeline = page.locator('.timeline > li').first();
    await timeline.getByText('from local').waitFor();
    expect(await timeline.textContent()).toContain(String(next));
    await checkPage(page, 'item');
  });

  it('lists rejections and dead letters', async () => {
    await section('Rejections').click();
    await page.getByRole('heading', { name: 'Rejections and dead letters', level: 1 }).waitFor();
    await checkPage(page, 'rejections');
    // Discarded ones are behind their own filter, which the URL keeps.
    await page.getByRole('button', { name: 'discarded', exact: true }).click();
    await page.waitForURL(/\/admin\/rejections\?status=discarded$/);
    await page.getByText('No discarded message.').waitFor();
    await checkPage(page, 'rejections-discarded');
  });

  it("shows an assistant's proposal with its plan, and an operator confirms it", async () => {
    const list = await api<{ items: Array<{ id: string; record: { price?: number } }> }>(
      stack,
      'GET',
      '/api/pricebook/services?limit=2',
    );
    const items = list.body.items.map((i) => ({
      id: i.id,
      fields: { price: Math.round((i.record.price ?? 0) * 104) / 100 },
    }));
    // A team's agent drafts it over MCP, as the assistant's chat would.
    const res = await fetch(`${stack.api.url}/api/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.api.key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'propose_changes',
          arguments: { entity: 'services', summary: 'Raise two services by 4%', items },
        },
      }),
    });
    expect(res.status).toBe(200);
    await section('Proposals').click();
    await page.getByRole('heading', { name: 'Assistant proposals', level: 1 }).waitFor();
    const card = page.getByRole('region', { name: /^Proposal / }).first();
    await card.getByText('2 items, 2 price changes, largest change 4.0%').waitFor();
    await checkPage(page, 'proposals');
    await card.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(/: Confirmed: change-set /).waitFor();
  });

  it('chats with the assistant: its tool calls, its streamed answer and its proposal, confirmed on the Proposals page', async () => {
    interface Hits {
      items: Array<{ item: { id: string; record: { displayName?: string; price?: number } } }>;
    }
    const list = await api<{ items: Array<{ record: { displayName?: string } }> }>(
      stack,
      'GET',
      '/api/pricebook/services?limit=5',
    );
    // One word of a service's name: what a person would type to find it.
    const words = list.body.items.flatMap((i) => (i.record.displayName ?? '').split(/[^A-Za-z]+/));
    const q = words.reduce((a, b) => (b.length > a.length ? b : a), '');
    expect(q).not.toBe('');
    let proposed = 0;
    chat.script([
      {
        content: 'Let me look. ',
        toolCalls: [{ name: 'search', arguments: { q, entity: 'services', mode: 'text', limit: 5 } }],
      },
      (r) => {
        const hits = lastToolResult<Hits>(r)
          .items.filter((h) => (h.item.record.price ?? 0) >= 10)
          .slice(0, 2);
        proposed = hits.length;
        return {
          toolCalls: [
            {
              name: 'propose_changes',
              arguments: {
                entity: 'services',
                summary: 'Raise the services found by 5%',
                items: hits.map((h) => ({
                  id: h.item.id,
                  fields: { price: Math.round((h.item.record.price ?? 0) * 105) / 100 },
                })),
              },
            },
          ],
        };
      },
      { content: 'I drafted a proposal: each price up 5%. An operator can confirm it.' },
    ]);
    await section('Assistant').click();
    await page.getByRole('heading', { name: 'Assistant', level: 1 }).waitFor();
    await page.getByLabel('Message').fill(`Raise "${q}" by 5%`);
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('I drafted a proposal: each price up 5%. An operator can confirm it.').waitFor();
    await page.getByText('The assistant is answering…').waitFor({ state: 'detached' });
    expect(proposed).toBeGreaterThan(0);
    // In the order it happened: the question, the text before the tools, each tool, the answer.
    expect(await log.locator('.chat-message').allTextContents()).toEqual([
      `YouRaise "${q}" by 5%`,
      'AssistantLet me look. ',
      'AssistantI drafted a proposal: each price up 5%. An operator can confirm it.',
    ]);
    expect(await log.locator(':scope > *').evaluateAll((els) => els.map((e) => e.className))).toEqual([
      'chat-message you',
      'chat-message',
      'chat-tool',
      'chat-tool',
      'card',
      'chat-message',
    ]);
    const tools = log.locator('details.chat-tool');
    expect((await tools.locator('summary').allTextContents()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^tool search \{"q":.* done$/),
      expect.stringMatching(
        /^tool propose_changes \{"entity":"services","summary":"Raise the services found by 5%".* done$/,
      ),
    ]);
    await tools.first().locator('summary').click();
    await tools.first().getByText('The tool answered; the assistant read its result.').waitFor();
    expect(await tools.first().locator('pre').textContent()).toContain(`"q": ${JSON.stringify(q)}`);
    const card = log.getByRole('region', { name: /^Proposal / });
    await card
      .getByText(
        new RegExp(
          `^${counted(proposed, 'item')}, ${counted(proposed, 'price change')}, largest change (4\\.9|5\\.0|5\\.1)%$`,
        ),
      )
      .waitFor();
    await checkPage(page, 'assistant');

    // The next message goes with the conversation so far: the page keeps it, the API keeps none.
    chat.script([{ content: 'You are welcome.' }]);
    await page.getByLabel('Message').fill('Thanks');
    await page.getByLabel('Message').press('Enter');
    await log.getByText('You are welcome.').waitFor();
    expect(
      chat.requests[0]?.messages.filter((m) => m.role !== 'system').map((m) => [m.role, m.content]),
    ).toEqual([
      ['user', `Raise "${q}" by 5%`],
      ['assistant', 'Let me look. \n\nI drafted a proposal: each price up 5%. An operator can confirm it.'],
      ['user', 'Thanks'],
    ]);

    const link = card.getByRole('link', { name: /^Review proposal .* on the Proposals page$/ });
    const id = /#proposal-(.+)$/.exec((await link.getAttribute('href')) ?? '')?.[1] ?? '';
    await link.click();
    await page.getByRole('heading', { name: 'Assistant proposals', level: 1 }).waitFor();
    await page
      .getByRole('region', { name: `Proposal ${id}` })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await page.getByText(`${id.slice(0, 8)}: Confirmed: change-set `).waitFor();
  });

  it("says so when the assistant's model does not answer, keeps the message, and starts a new one", async () => {
    // An empty script: the fake model answers 500 to everything. The API answers 503 naming the
    // model before any event, and the page gives the message back to be sent again.
    chat.script([]);
    await section('Assistant').click();
    await page.getByLabel('Message').fill('Is everything synced?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^The assistant is not available: the assistant model .* answered 500/ })
      .waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe('Is everything synced?');
    const log = page.getByRole('log', { name: 'Conversation' });
    await page.getByRole('button', { name: 'New conversation' }).click();
    await log.getByText(/^For example:/).waitFor();
    expect(await log.locator('.chat-message').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('adds a tenant, tests its connection, pauses it, and chooses it in the header', async () => {
    const other = await stack.sandbox.control.createTenant({ items: 4 });
    await section('Tenants').click();
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await checkPage(page, 'tenants');
    const form = page.getByRole('form', { name: 'Add a tenant' });
    await form.getByLabel('Tenant id').fill(other.tenantId);
    await form.getByLabel('Name').fill('Second contractor');
    await form.getByLabel('Client id').fill(other.clientId);
    await form.getByLabel('Client secret').fill(other.clientSecret);
    await form.getByLabel('App key').fill(other.appKey);
    await form.getByLabel('API URL').fill(stack.sandbox.baseUrl);
    await form.getByLabel('Auth URL').fill(stack.sandbox.authUrl);
    await form.getByLabel('Full sync cron').fill('0 3 * * *');
    await form.getByRole('button', { name: 'Add tenant' }).click();
    await page.getByRole('cell', { name: 'Second contractor' }).waitFor();
    // The secret is not in the page once added.
    expect(await page.content()).not.toContain(other.clientSecret);

    await page.getByRole('button', { name: `Test connection of ${other.tenantId}` }).click();
    const note = page.getByTestId(`tenant-note-${other.tenantId}`);
    await note.getByText(/^Connection ok: read \d+ materials? from page 1/).waitFor();
    await page.getByRole('button', { name: `Pause ${other.tenantId}` }).click();
    await note.getByText(`Tenant ${other.tenantId} is paused.`).waitFor();
    await page.getByRole('button', { name: `Resume ${other.tenantId}` }).waitFor();
    await checkPage(page, 'tenants-added');

    // The header's choice is remembered and named on every request.
    const chooser = page.getByRole('banner').getByLabel('Tenant');
    await Promise.all([
      page.waitForRequest(
        (r) => r.url().includes('/api/') && r.headers()['pricebook-tenant'] === other.tenantId,
      ),
      chooser.selectOption(other.tenantId),
    ]);
    expect(await page.evaluate(() => localStorage.getItem('pricebook.tenant'))).toBe(other.tenantId);
    await chooser.selectOption(stack.sandbox.tenantId);
    expect(await page.evaluate(() => localStorage.getItem('pricebook.tenant'))).toBe(stack.sandbox.tenantId);
  });

  it('adds a webhook, shows its secret once, lists its deliveries with their response codes, replays one, removes it', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string; status: number }> = [];
    // The receiver fails the first attempt of each delivery, then takes it.
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = req.headers['webhook-id'];
        const status = received.some((r) => r.headers['webhook-id'] === id) ? 204 : 503;
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    let webhooks: ServiceProcess | undefined;
    try {
      // The webhooks service delivers; started here unless the stack runs it already.
      if (!('webhooks' in stack.services)) {
        webhooks = await startService({ name: 'webhooks', env: { ...stack.env, HEALTH_PORT: '0' } });
      }
      await section('Webhooks').click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await page.getByText('No webhooks yet.').waitFor();
      await checkPage(page, 'webhooks-empty');
      const form = page.getByRole('form', { name: 'Add a webhook' });
      await form.getByLabel('URL').fill(hookUrl);
      await form.getByRole('checkbox', { name: 'conflict.opened' }).uncheck();
      await form.getByRole('checkbox', { name: 'record.updated' }).check();
      await form.getByRole('checkbox', { name: 'equipment' }).check();
      await form.getByLabel('Description (optional)').fill('the browser test');
      await form.getByRole('button', { name: 'Add webhook' }).click();
      const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      await page.getByRole('link', { name: hookUrl }).waitFor();
      await checkPage(page, 'webhooks');

      // An edit of an equipment item is the event the subscription asked for.
      const list = await api<{ items: Array<{ id: string; record: { price?: number } }> }>(
        stack,
        'GET',
        '/api/pricebook/equipment?limit=1',
      );
      const item = list.body.items[0];
      if (!item) throw new Error('the sandbox has no equipment');
      const edit = await api(stack, 'PATCH', `/api/pricebook/equipment/${item.id}`, {
        price: (item.record.price ?? 0) + 1,
      });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      const delivered = await until('a successful delivery of the edit', () =>
        received.find((r) => r.status === 204 && r.body.includes(item.id)),
      );
      // Every attempt is signed with the secret the page showed, as the standardwebhooks verifier checks.
      for (const r of received) {
        expect(() => new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
      }
      expect(JSON.parse(delivered.body)).toMatchObject({
        type: 'record.updated',
        data: { recordId: item.id },
      });
      // The page reloaded after the delivery was recorded: the failed attempt and the success.
      await page.getByRole('link', { name: hookUrl }).click();
      await page.getByRole('heading', { name: 'Webhook', level: 1 }).waitFor();
      // Shown once: no other page has the secret.
      expect(await page.content()).not.toContain(secret);
      const row = page.getByRole('row').filter({ hasText: String(delivered.headers['webhook-id']) });
      await until('the delivery listed as succeeded', async () => {
        if ((await row.count()) > 0 && (await row.first().textContent())?.includes('HTTP 204')) return true;
        await page.reload();
        await settled(page);
        return false;
      });
      expect(await row.first().textContent()).toMatch(/succeeded2HTTP 204/);
      await checkPage(page, 'webhook');

      // Each attempt of that delivery, newest first: the 204 after the 503.
      await row
        .first()
        .getByRole('button', { name: /^Attempts of delivery/ })
        .click();
      const attempts = page.getByTestId('delivery-attempts');
      // The 503 shows twice in its row: as the response and as the error.
      await attempts.getByRole('cell', { name: 'HTTP 503' }).first().waitFor();
      const attemptRows = attempts.getByRole('row');
      expect(await attemptRows.count()).toBe(3);
      expect(await attemptRows.nth(1).textContent()).toMatch(/^2.*succeeded.*HTTP 204/);
      expect(await attemptRows.nth(2).textContent()).toMatch(/^1.*failed.*HTTP 503.*HTTP 503/);
      await checkPage(page, 'webhook-attempts');

      const before = received.length;
      await row
        .first()
        .getByRole('button', { name: /^Replay delivery/ })
        .click();
      await page.getByTestId('webhook-note').getByText('Delivery of record.updated queued again.').waitFor();
      const again = await until('the replayed delivery', () => received[before]);
      expect(again.headers['webhook-id']).toBe(delivered.headers['webhook-id']);

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await page.getByText('No webhooks yet.').waitFor();
    } finally {
      await webhooks?.stop();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('reloads a deep link within the session, and signs out', async () => {
    await page.goto(admin('conflicts?status=resolved'));
    await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect((await browser.context.cookies()).some((c) => c.name === 'pricebook_session')).toBe(false);
  });

  it('renders the API reference at /docs from this server alone', async () => {
    const elsewhere: string[] = [];
    const api = new URL(stack.api.url).origin;
    page.on('request', (request) => {
      const origin = new URL(request.url()).origin;
      if (origin !== api && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await page.goto(`${stack.api.url}/docs`);
    await page
      .getByRole('heading', { name: /Pricebook Sync Engine/ })
      .first()
      .waitFor();
    await page.getByText('/api/sync/pricebook/status').first().waitFor();
    expect(elsewhere).toEqual([]);
  });

  it('wrote no error to the browser console', () => {
    expect(errors).toEqual([]);
  });
});
