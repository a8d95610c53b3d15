import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo } from './test-support';

// The API is not under test here: a stub answers as it would, and records what it was asked.
const asked: string[] = [];
let server: Server;
let url: string;

const item = (stId: number, displayName: string) => ({
  id: `00000000-0000-4000-8000-${String(stId).padStart(12, '0')}`,
  stId,
  syncStatus: 'synced',
  hasConflict: false,
  localModifiedAt: null,
  lastSyncedAt: null,
  deletedAt: null,
  version: 1,
  record: { id: stId, displayName },
});

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/api/pricebook/search')) {
      res.end(
        JSON.stringify({
          success: true,
          mode: 'text',
          requestedMode: 'hybrid',
          note: 'No embeddings provider is configured: the results come from full-text search only.',
          items: [
            {
              entity: 'materials',
              score: 0.5,
              textRank: 1,
              semanticRank: null,
              item: item(7, 'Copper elbow'),
            },
          ],
        }),
      );
      return;
    }
    res.end(
      JSON.stringify({ success: true, items: [{ distance: 0.0412, item: item(8, 'Copper elbow 1/2in') }] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('pricebook search', () => {
  it('sends the words, entity, mode and limit, prints a table and the fallback note', async () => {
    const io = recordingIo(url);
    expect(
      await run(
        ['search', 'copper', 'elbow', '--entity', 'materials', '--mode', 'hybrid', '--limit', '5'],
        io,
      ),
    ).toBe(0);
    const asked0 = new URL(asked.at(-1) ?? '', url);
    expect(asked0.pathname).toBe('/api/pricebook/search');
    expect(Object.fromEntries(asked0.searchParams)).toEqual({
      q: 'copper elbow',
      entity: 'materials',
      mode: 'hybrid',
      limit: '5',
    });
    expect(io.stdout.join('\n')).toMatch(
      /SCORE\s+ENTITY\s+ST ID\s+ID\s+NAME[\s\S]*0\.5000\s+materials\s+7\s+\S+\s+Copper elbow/,
    );
    expect(io.stderr.join('\n')).toMatch(/full-text search only/);
  });

  it('lists likely duplicates of a record', async () => {
    const io = recordingIo(url);
    expect(await run(['search', '--similar', 'materials/st:7', '--max-distance', '0.2'], io)).toBe(0);
    expect(asked.at(-1)).toBe('/api/pricebook/materials/st%3A7/similar?maxDistance=0.2');
    expect(io.stdout.join('\n')).toMatch(/0\.0412\s+8\s+\S+\s+Copper elbow 1\/2in/);
  });

  it('refuses a search without words, or a bad mode, as a usage error', async () => {
    const io = recordingIo(url);
    expect(await run(['search'], io)).toBe(2);
    expect(await run(['search', 'x', '--mode', 'fuzzy'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--mode must be one of text, semantic, hybrid/);
  });
});
