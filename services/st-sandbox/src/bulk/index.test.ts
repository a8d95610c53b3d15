import { describe, expect, it } from 'vitest';
import { testSandbox } from '../test-support';

const send = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) });

describe('bulk endpoints', () => {
  it('creates items that reference each other by customId and maps customIds to ids', async () => {
    const sb = testSandbox();
    const res = await sb.api(
      'pricebook',
      send('POST', {
        services: [
          {
            customId: 'svc-1',
            code: 'S-1',
            description: 'Install',
            serviceMaterials: [{ customId: 'mat-1', quantity: 2 }],
            serviceEquipment: [{ customId: 'eq-1', quantity: 1 }],
            recommendations: [{ customId: 'svc-2' }],
          },
          { customId: 'svc-2', code: 'S-2', description: 'Tune-up', upgrades: [{ customId: 'svc-1' }] },
        ],
        materials: [{ customId: 'mat-1', code: 'M-1', description: 'Pipe', cost: 10, price: 20 }],
        equipment: [
          {
            customId: 'eq-1',
            code: 'E-1',
            description: 'Furnace',
            cost: 1000,
            equipmentMaterials: [{ customId: 'mat-1', quantity: 1 }],
          },
        ],
      }),
    );
    expect(res.status).toBe(201);
    const map = (await res.json()) as Record<string, { customId: string; id: number }[]>;
    const id = (group: string, customId: string) => map[group]?.find((m) => m.customId === customId)?.id;
    expect(map.services).toHaveLength(2);
    const svc = await sb.json<Record<string, unknown>>(`services/${id('services', 'svc-1')}`);
    expect(svc.serviceMaterials).toEqual([{ skuId: id('materials', 'mat-1'), quantity: 2 }]);
    expect(svc.serviceEquipment).toEqual([{ skuId: id('equipment', 'eq-1'), quantity: 1 }]);
    expect(svc.recommendations).toEqual([id('services', 'svc-2')]);
    expect(svc.cost).toBe(1020);
    const svc2 = await sb.json<Record<string, unknown>>(`services/${id('services', 'svc-2')}`);
    expect(svc2.upgrades).toEqual([id('services', 'svc-1')]);
    expect(svc2.modifiedOn).toBe(svc.modifiedOn);
  });

  it('is all-or-nothing: one bad item rejects the batch with indexed errors', async () => {
    const sb = testSandbox();
    const res = await sb.api(
      'pricebook',
      send('POST', {
        materials: [{ code: 'OK-1', description: '' }, { description: 'no code' }],
        services: [{ code: 'S', description: '', serviceMaterials: [{ customId: 'ghost', quantity: 1 }] }],
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(body.errors['Materials[1].Code']).toEqual(['The Code field is required.']);
    const again = await sb.api(
      'pricebook',
      send('POST', {
        services: [{ code: 'S', description: '', serviceMaterials: [{ customId: 'ghost', quantity: 1 }] }],
      }),
    );
    expect(
      ((await again.json()) as { errors: Record<string, string[]> }).errors['Services[0].ServiceMaterials'],
    ).toBeDefined();
    expect((await sb.json<{ data: unknown[] }>('materials?active=Any')).data).toHaveLength(0);
  });

  it('updates full objects by id with 200 and no body, one modifiedOn for the batch', async () => {
    const sb = testSandbox({ defaultTenant: { items: 40, seed: 2 } });
    const page = await sb.json<{ data: Record<string, unknown>[] }>('materials?pageSize=2');
    // Turn read records into full update requests, as a client following the contract does.
    const full = page.data.map((m) => ({
      ...m,
      price: 99.5,
      primaryVendor: null,
      otherVendors: [],
      assets: [],
      intacctGlGroupAccount: null,
      variationMaterials: [],
    }));
    const res = await sb.api('pricebook', send('PATCH', { materials: full }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const after = await Promise.all(
      page.data.map((m) => sb.json<Record<string, unknown>>(`materials/${m.id}`)),
    );
    expect(after.map((m) => m.price)).toEqual([99.5, 99.5]);
    expect(after[0]?.modifiedOn).toBe(after[1]?.modifiedOn);
    expect(after[0]?.code).toBe(page.data[0]?.code);
  });

  it('refuses partial bulk updates and unknown ids', async () => {
    const sb = testSandbox({ defaultTenant: { items: 20, seed: 2 } });
    const first = (await sb.json<{ data: Record<string, unknown>[] }>('materials?pageSize=1')).data[0];
    const partial = await sb.api('pricebook', send('PATCH', { materials: [{ id: first?.id, price: 1 }] }));
    expect(partial.status).toBe(400);
    const errors = ((await partial.json()) as { errors: Record<string, string[]> }).errors;
    expect(errors['Materials[0].Code']).toEqual(['The Code field is required.']);
    expect(await sb.json(`materials/${first?.id}`)).toMatchObject({ price: first?.price });
    const unknown = await sb.api('pricebook', send('PATCH', { services: [{ id: 1, code: 'x' }] }));
    expect(unknown.status).toBe(400);
  });
});
