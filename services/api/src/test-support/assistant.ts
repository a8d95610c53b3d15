import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FakeChat } from '@pricebook/testing';
import type { ApiApp } from '../context';
import type { ApiConfig } from '../env';
import type { Harness } from './index';

/** An ST service record as a sync would store it. */
export function stService(stId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: stId,
    code: `SVC-${stId}`,
    displayName: `Service ${stId}`,
    description: 'a service',
    price: 100,
    memberPrice: 90,
    addOnPrice: 0,
    addOnMemberPrice: 0,
    active: true,
    categories: [7],
    modifiedOn: '2025-12-01T10:00:00.0000001Z',
    ...overrides,
  };
}

/** Three water heater installs and a drain cleaning, synced; their local ids in that order. */
export const waterHeaterServices = () => [
  stService(501, {
    code: 'WH-40',
    displayName: 'Water heater install 40 gal',
    price: 1200,
    memberPrice: 1100,
  }),
  stService(502, {
    code: 'WH-50',
    displayName: 'Water heater install 50 gal',
    price: 1450,
    memberPrice: 1350,
  }),
  stService(503, {
    code: 'WH-TL',
    displayName: 'Tankless water heater install',
    price: 2600,
    memberPrice: 2450,
  }),
  stService(504, { code: 'DR-1', displayName: 'Drain cleaning', price: 189, memberPrice: 169 }),
];

/**
 * Inserts synced service rows as the engine would (origin `st`) and empties the audit trail and
 * outbox, so a test sees only what it did.
 */
export async function seedServices(
  h: Harness,
  tenantId: string,
  records: Record<string, unknown>[],
): Promise<string[]> {
  const ids = await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    const out: string[] = [];
    for (const r of records) {
      const rows = await em.execute<{ id: string }[]>(
        `insert into pricebook_services (tenant_id, st_id, data, base, sync_status, last_synced_at)
         values (?, ?, ?::jsonb, ?::jsonb, 'synced', now()) returning id`,
        [tenantId, r.id, JSON.stringify(r), JSON.stringify(r)],
      );
      out.push(rows[0]?.id ?? '');
    }
    return out;
  });
  await h.sql('delete from pricebook_changes');
  await h.sql('delete from pricebook_outbox');
  return ids;
}

/** The app's assistant settings for a fake model. */
export function assistantConfig(
  fake: FakeChat,
  overrides: { maxToolRounds?: number } = {},
): Partial<ApiConfig> {
  return {
    assistant: {
      model: {
        url: fake.url,
        model: 'fake-model',
        apiKey: 'fake-assistant-provider-key-for-tests',
        maxToolRounds: overrides.maxToolRounds ?? 6,
        timeoutMs: 10_000,
      },
    },
  };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** The events of a server-sent event stream's text, `data` parsed as JSON. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: JSON.parse(data.join('\n')) as unknown };
    });
}

/** A search hit's fields the scripted model reads. */
export interface HitShape {
  items: Array<{ entity: string; item: { id: string; record: { displayName?: string; price?: number } } }>;
}

/**
 * An MCP client of the official SDK, talking to the app over streamable HTTP with `key` (and
 * `headers`, e.g. `pricebook-tenant` or `host`).
 */
export async function connectMcp(
  app: ApiApp,
  key: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL('http://api.test/api/mcp'), {
    requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } },
    fetch: async (url, init) => app.request(String(url), init),
  });
  const client = new Client({ name: 'team-agent', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** The text of a tool result (the tools answer one text part). */
export const mcpText = (result: Awaited<ReturnType<Client['callTool']>>): string => {
  const [first] = result.content as Array<{ type: string; text: string }>;
  return first?.text ?? '';
};
