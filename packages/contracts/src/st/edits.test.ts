import { describe, expect, it } from 'vitest';
import { nulMessage, ST_DECIMAL_LIMIT } from '../limits';
import { checkMergeValues, checkStEdit, describeProblems } from './edits';

const range = `must be greater than -${ST_DECIMAL_LIMIT} and less than ${ST_DECIMAL_LIMIT}`;

describe('checkStEdit', () => {
  it('returns the parsed values of a valid edit', () => {
    expect(checkStEdit('materials', 'update', { price: '12.50', displayName: null })).toEqual({
      ok: true,
      values: { price: 12.5, displayName: null },
    });
  });

  it('names every bad field at once: read-only, unknown, out of range, NUL', () => {
    const checked = checkStEdit('materials', 'update', {
      id: 1,
      prize: 2,
      price: 1e11,
      description: 'a\u0000b',
    });
    expect(checked).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        { path: 'id', message: 'read-only field' },
        { path: 'prize', message: 'unknown field' },
        { path: 'price', message: range },
        { path: 'description', message: nulMessage },
      ]),
    });
    expect(checked.ok ? [] : checked.problems).toHaveLength(4);
  });

  it('tells a create-only field apart and requires the create fields', () => {
    const checked = checkStEdit('services', 'create', { code: 'S', cost: 1 });
    expect(checked.ok ? [] : checked.problems).toEqual(
      expect.arrayContaining([
        { path: 'cost', message: 'read-only field' },
        expect.objectContaining({ path: 'description' }),
      ]),
    );
  });
});

describe('checkMergeValues', () => {
  it('accepts absent or empty values and values the PATCH accepts, normalised', () => {
    expect(checkMergeValues('materials', undefined)).toEqual({ ok: true, values: {} });
    expect(checkMergeValues('materials', {})).toEqual({ ok: true, values: {} });
    expect(checkMergeValues('materials', { price: '44.10' })).toEqual({ ok: true, values: { price: 44.1 } });
  });

  it('refuses a value of the wrong type or range under values.<field>', () => {
    const checked = checkMergeValues('materials', { price: 'cheap', cost: -1e10 });
    expect(checked.ok ? [] : checked.problems).toEqual(
      expect.arrayContaining([
        { path: 'values.price', message: 'must be a decimal number such as 12.50' },
        { path: 'values.cost', message: range },
      ]),
    );
  });

  it('refuses read-only and volatile fields, services cost included', () => {
    const materials = checkMergeValues('materials', { modifiedOn: '2025-01-01T00:00:00Z', createdById: 4 });
    expect(materials.ok ? [] : materials.problems).toEqual([
      { path: 'values.modifiedOn', message: 'read-only field' },
      { path: 'values.createdById', message: 'read-only field' },
    ]);
    const services = checkMergeValues('services', { cost: 3, soldByCommission: 1 });
    expect(services.ok ? [] : services.problems.map((p) => p.path)).toEqual([
      'values.cost',
      'values.soldByCommission',
    ]);
    expect(checkMergeValues('equipment', { cost: 3 }).ok).toBe(true);
  });

  it('refuses values that are not an object', () => {
    const checked = checkMergeValues('materials', [1]);
    expect(checked.ok ? [] : checked.problems).toEqual([
      { path: 'values', message: 'the record must be a JSON object' },
    ]);
  });

  it('describes problems in one sentence for logs and rejected messages', () => {
    expect(
      describeProblems([
        { path: 'values.price', message: 'bad' },
        { path: 'values.id', message: 'read-only field' },
      ]),
    ).toBe('values.price (bad); values.id (read-only field)');
  });
});
