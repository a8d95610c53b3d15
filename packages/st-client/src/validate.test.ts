import { describe, expect, it } from 'vitest';
import { StTelemetry } from './stats';
import { rawMaterial } from './test-support';
import { stVersionKey, validateRecords, validateRecordsYielding } from './validate';

describe('validateRecords', () => {
  it('hands back bad records with a readable reason and keeps the rest', () => {
    const telemetry = new StTelemetry();
    const bad = rawMaterial(2, { price: 'free', modifiedOn: 'yesterday' });
    const { records, invalid } = validateRecords(
      'materials',
      [rawMaterial(1), bad, 'junk', rawMaterial(4)],
      telemetry,
    );
    expect(records.map((r) => r.id)).toEqual([1, 4]);
    expect(invalid).toHaveLength(2);
    expect(invalid[0]).toMatchObject({ entity: 'materials', index: 1, id: 2, raw: bad });
    expect(invalid[0]?.reason).toContain('price');
    expect(invalid[0]?.reason).toContain('modifiedOn');
    expect(invalid[1]).toMatchObject({ index: 2, id: undefined, raw: 'junk' });
    expect(telemetry.stats.invalidRecords).toBe(2);
  });
});

describe('validateRecordsYielding', () => {
  it('gives the same split as validateRecords, with page-wide indexes', async () => {
    const data = Array.from({ length: 1234 }, (_, i) =>
      i % 400 === 7 ? rawMaterial(i, { price: 'x' }) : rawMaterial(i),
    );
    const { records, invalid } = await validateRecordsYielding('materials', data);
    expect(records).toHaveLength(1230);
    expect(invalid.map((i) => i.index)).toEqual([7, 407, 807, 1207]);
    expect(invalid.map((i) => i.id)).toEqual([7, 407, 807, 1207]);
    expect(records.map((r) => r.id)).toEqual(validateRecords('materials', data).records.map((r) => r.id));
  });
});

describe('stVersionKey', () => {
  it('joins id and modifiedOn', () => {
    expect(stVersionKey({ id: 3, modifiedOn: '2024-05-01T10:00:00.0000000Z' })).toBe(
      '3@2024-05-01T10:00:00.0000000Z',
    );
    expect(stVersionKey({ id: 3, modifiedOn: null })).toBe('3@');
  });
});
