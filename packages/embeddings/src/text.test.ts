import { describe, expect, it } from 'vitest';
import { embeddingHash, embeddingText } from './text';

describe('embeddingText', () => {
  it('puts name, code, category path and description on their own lines', () => {
    expect(
      embeddingText('materials', {
        name: ' 1/2" Copper  Elbow ',
        code: 'CU-E-12',
        description: 'Sweat fitting,\n90 degrees',
        categoryPaths: [['Plumbing', 'Fittings']],
      }),
    ).toBe('1/2" Copper Elbow\nCode: CU-E-12\nCategory: Plumbing > Fittings\nSweat fitting, 90 degrees');
  });

  it('leaves out what a row does not have, and names a category its parents', () => {
    expect(
      embeddingText('categories', {
        name: 'Fittings',
        code: null,
        description: null,
        categoryPaths: [['Plumbing']],
      }),
    ).toBe('Fittings\nParent: Plumbing');
  });
});

describe('embeddingHash', () => {
  it('changes with the text, the model and the width', () => {
    const a = embeddingHash('elbow', { model: 'm1', dimensions: 1536 });
    expect(embeddingHash('elbow', { model: 'm1', dimensions: 1536 })).toBe(a);
    expect(embeddingHash('elbow ', { model: 'm1', dimensions: 1536 })).not.toBe(a);
    expect(embeddingHash('elbow', { model: 'm2', dimensions: 1536 })).not.toBe(a);
    expect(embeddingHash('elbow', { model: 'm1', dimensions: 512 })).not.toBe(a);
  });
});
