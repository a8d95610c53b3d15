import { describe, expect, it } from 'vitest';
import { mergeResolution } from './resolution';

const subject = {
  entity: 'materials' as const,
  base: { price: 1, code: 'A', cost: 3 },
  st: { price: 2, code: 'A', cost: 4 },
  local: { price: 5, code: 'B', cost: 3 },
  fieldDiff: { price: { base: 1, st: 2, local: 5 } },
};

describe('mergeResolution', () => {
  it('starts from ST, keeps undisputed local edits, applies choices then values', () => {
    expect(mergeResolution(subject, { fields: { price: 'local' } })).toEqual({
      ok: true,
      data: { price: 5, code: 'B', cost: 4 },
    });
    expect(mergeResolution(subject, { fields: { price: 'st' }, values: { cost: 9 } })).toEqual({
      ok: true,
      data: { price: 2, code: 'B', cost: 9 },
    });
    expect(mergeResolution(subject, { values: { price: 7 } })).toMatchObject({
      ok: true,
      data: { price: 7 },
    });
  });

  it('names every disputed field without a choice and every unknown field', () => {
    expect(mergeResolution(subject, { fields: { colour: 'st' }, values: { size: 1 } })).toEqual({
      ok: false,
      problems: [
        { path: 'fields.colour', message: 'unknown field' },
        { path: 'values.size', message: 'unknown field' },
        { path: 'fields.price', message: "choose 'st' or 'local', or give a value" },
      ],
    });
  });
});
