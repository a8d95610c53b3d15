import { describe, expect, it } from 'vitest';
import { run } from './run';
import { recordingIo, stubApiForFile } from './test-support';

const id = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const proposal = (status: string) => ({
  id,
  entity: 'services',
  summary: 'Raise water heater installs by 4%',
  status,
  createdBy: 'viewer:3f9a0c1b2d4e',
  createdAt: '2025-12-06T09:30:00.000Z',
  expiresAt: '2025-12-07T09:30:00.000Z',
  decidedBy: status === 'confirmed' ? 'operator:0a1b2c3d4e5f' : null,
  decidedAt: status === 'confirmed' ? '2025-12-06T09:40:00.000Z' : null,
  changeSetId: status === 'confirmed' ? 'e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b' : null,
  plan: { items: 1, unchanged: 0, priceChanges: 1, largestRelativeChange: 0.04 },
  items: [
    {
      id: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
      stId: 501,
      name: 'Water heater install 40 gal',
      version: 3,
      before: { price: 1200 },
      after: { price: 1248 },
    },
  ],
  toolCalls: [{ name: 'search', arguments: { q: 'water heater' } }],
});

const api = stubApiForFile({ otherwise: { status: 404, body: {} } });
const { seen, answers } = api;

describe('pricebook proposals', () => {
  it('lists the open proposals with their plans', async () => {
    answers.set('GET /api/assistant/proposals', {
      status: 200,
      body: { success: true, proposals: [proposal('proposed')] },
    });
    const out = recordingIo(api.url);
    expect(await run(['proposals', 'list', '--status', 'proposed'], out), out.stderr.join('\n')).toBe(0);
    expect(seen[0]?.path).toBe('/api/assistant/proposals?status=proposed');
    expect(out.stdout[0]).toMatch(/^ID +STATUS +ENTITY +ITEMS +PRICES +LARGEST/);
    expect(out.stdout[0]).toMatch(new RegExp(`${id}  proposed  services +1 +1 +4.0% +viewer:3f9a0c1b2d4e`));
  });

  it('confirms one and prints its change-set; a refusal is one line and exit 1', async () => {
    answers.set(`POST /api/assistant/proposals/${id}/confirm`, {
      status: 200,
      body: { success: true, proposal: proposal('confirmed') },
    });
    const out = recordingIo(api.url);
    expect(await run(['proposals', 'confirm', id], out)).toBe(0);
    expect(out.stdout.join('\n')).toContain('change-set e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b');
    expect(out.stdout.join('\n')).toContain('{"price":1200}');

    answers.set(`POST /api/assistant/proposals/${id}/confirm`, {
      status: 409,
      body: {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'conflict',
        detail: `proposal ${id} is already confirmed`,
      },
    });
    const again = recordingIo(api.url);
    expect(await run(['proposals', 'confirm', id], again)).toBe(1);
    expect(again.stderr.join('\n')).toContain('already confirmed');
  });
});
