import { randomUUID } from 'node:crypto';
import { stContent, stRecordSchemas } from '@pricebook/contracts';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changedFields, stRecordToBulkUpdate } from './diff';
import { isAmbiguousWrite } from './errors';
import { sandboxClient } from './test-support';

describe('writes against the sandbox', () => {
  let sb: StartedSandbox;
  const appGuid = randomUUID();
  /** Bodies the client sent, by "METHOD path". */
  const sent: { method: string; path: string; body: unknown }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/pricebook/')) {
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      sent.push({ method: init?.method ?? 'GET', path: url.pathname.replace(/^.*\/tenant\/\d+/, ''), body });
    }
    return fetch(input, init);
  };

  beforeAll(async () => {
    sb = await startSandbox({ items: 300, seed: 21 });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  beforeEach(async () => {
    sent.length = 0;
    await sb.control.clearFaults();
  });

  const client = () => sandboxClient(sb, { fetch: recordingFetch });
  const tag = (localId: string) => ({
    applicationGuid: appGuid,
    externalData: [{ key: 'localId', value: localId }],
  });

  it('creates with externalData and finds the item again by it', async () => {
    const st = client();
    const created = await st.create('materials', {
      code: 'EXT-1',
      description: 'tagged',
      price: 12.345678,
      externalData: tag('local-1'),
    });
    expect(created.price).toBe(12.3457);
    const found = await st.findByExternalData('materials', {
      applicationGuid: appGuid,
      key: 'localId',
      values: ['local-1'],
    });
    expect(found.records.map((r) => r.id)).toEqual([created.id]);
    expect(found.records[0]?.externalData).toEqual([{ key: 'localId', value: 'local-1' }]);
    const none = await st.findByExternalData('materials', {
      applicationGuid: appGuid,
      key: 'localId',
      values: 'nope',
    });
    expect(none.records).toEqual([]);
    const viaGet = await st.get('materials', created.id, { externalDataApplicationGuid: appGuid });
    expect(viaGet?.externalData).toEqual([{ key: 'localId', value: 'local-1' }]);
  });

  it('reports a create lost in flight as ambiguous, and reading back settles it', async () => {
    const st = client();
    // Dropped before ST handled it: unknown to us, absent in ST.
    await sb.control.setFaults({ script: ['drop'], pathPattern: '/services$' });
    const lost = await st
      .create('services', { code: 'AMB-1', description: 'x', externalData: tag('amb-1') })
      .catch((e: unknown) => e);
    expect(isAmbiguousWrite(lost)).toBe(true);
    expect(sent.filter((s) => s.method === 'POST')).toHaveLength(1);
    const afterDrop = await st.findByExternalData('services', {
      applicationGuid: appGuid,
      key: 'localId',
      values: 'amb-1',
    });
    expect(afterDrop.records).toEqual([]);

    // Handled by ST but the answer was cut: unknown to us, present in ST, and not created twice.
    await sb.control.setFaults({ script: ['truncate'], pathPattern: '/services$' });
    const cut = await st
      .create('services', { code: 'AMB-2', description: 'x', externalData: tag('amb-2') })
      .catch((e: unknown) => e);
    expect(isAmbiguousWrite(cut)).toBe(true);
    const afterCut = await st.findByExternalData('services', {
      applicationGuid: appGuid,
      key: 'localId',
      values: 'amb-2',
    });
    expect(afterCut.records.map((r) => r.code)).toEqual(['AMB-2']);
    expect(st.stats().ambiguousWrites).toBe(2);
  });

  it('patches only the changed fields', async () => {
    const st = client();
    const [someMaterial] = await sb.control.items('materials');
    if (!someMaterial) throw new Error('tenant has materials');
    const before = await st.get('materials', someMaterial.id);
    if (!before) throw new Error('material exists');
    const local = { ...before, price: before.price + 1, displayName: 'Renamed', modifiedOn: 'ignored' };
    const patch = changedFields('materials', before, local);
    expect(patch).toEqual({ price: before.price + 1, displayName: 'Renamed' });

    sent.length = 0;
    const after = await st.patch('materials', before.id, patch);
    expect(sent).toEqual([{ method: 'PATCH', path: `/materials/${before.id}`, body: patch }]);
    expect(after.price).toBe(before.price + 1);
    expect(after.displayName).toBe('Renamed');
    expect(after.modifiedOn > before.modifiedOn).toBe(true);
    const raw = stRecordSchemas.materials.parse(await sb.control.item('materials', before.id));
    const exclude = ['price', 'displayName', 'modifiedOn'];
    expect(stContent('materials', raw, { exclude })).toEqual(stContent('materials', before, { exclude }));
  });

  it('bulk-creates with cross references and bulk-updates by id', async () => {
    const st = client();
    const result = await st.bulkCreate({
      materials: [{ customId: 'm1', code: 'BULK-M1', description: 'pipe', price: 3 }],
      equipment: [{ customId: 'e1', code: 'BULK-E1', description: 'unit', price: 900 }],
      services: [
        {
          customId: 's1',
          code: 'BULK-S1',
          description: 'install',
          price: 100,
          serviceMaterials: [{ customId: 'm1', quantity: 2 }],
          serviceEquipment: [{ customId: 'e1', quantity: 1 }],
        },
      ],
    });
    const materialId = result.materials?.find((m) => m.customId === 'm1')?.id;
    const equipmentId = result.equipment?.find((m) => m.customId === 'e1')?.id;
    const serviceId = result.services?.find((m) => m.customId === 's1')?.id;
    if (!materialId || !equipmentId || !serviceId)
      throw new Error(`bulk create mapped ids: ${JSON.stringify(result)}`);
    const service = await st.get('services', serviceId);
    expect(service?.serviceMaterials).toEqual([{ skuId: materialId, quantity: 2 }]);
    expect(service?.serviceEquipment).toEqual([{ skuId: equipmentId, quantity: 1 }]);

    const material = await st.get('materials', materialId);
    const equipment = await st.get('equipment', equipmentId);
    if (!material || !equipment) throw new Error('created items exist');
    await st.bulkUpdate({
      materials: [stRecordToBulkUpdate('materials', { ...material, price: 4 })],
      equipment: [stRecordToBulkUpdate('equipment', { ...equipment, price: 950 })],
    });
    const [m] = (await st.listByIds('materials', [materialId])).records;
    const [e] = (await st.listByIds('equipment', [equipmentId])).records;
    expect(m?.price).toBe(4);
    expect(e?.price).toBe(950);
    expect(m?.code).toBe('BULK-M1');
  });

  it('deletes with 204 and treats a second delete as already done', async () => {
    const st = client();
    const created = await st.create('categories', { name: 'To delete', categoryType: 'Materials' });
    expect(await st.delete('categories', created.id)).toEqual({ deleted: true });
    expect(await st.get('categories', created.id)).toBeUndefined();
    expect(await st.delete('categories', created.id)).toEqual({ deleted: false });
  });

  it('passes ST validation errors through as upstream_rejected', async () => {
    const st = client();
    const [existing] = await sb.control.items('materials');
    const error = await st
      .create('materials', { code: String(existing?.code), description: 'dup' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream_rejected', retry: false, details: { status: 400 } });
    expect(Object.keys((error as { details: { errors: object } }).details.errors).length).toBeGreaterThan(0);
  });
});
