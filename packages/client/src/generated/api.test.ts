import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFile, generateTypes } from '../../scripts/generate-types';

/** The first line where two texts differ, with its number, or undefined when they are equal. */
function firstDifference(committed: string, fresh: string): string | undefined {
  if (committed === fresh) return undefined;
  const a = committed.split('\n');
  const b = fresh.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, served ${JSON.stringify(b[at])}`;
}

describe('src/generated/api.ts', () => {
  it('is what openapi-typescript makes of the document the API serves now', async () => {
    const committed = await readFile(generatedFile, 'utf8');
    const difference = firstDifference(committed, await generateTypes());
    expect(
      difference,
      'the API changed: run `pnpm --filter @pricebook/client generate` and commit the types',
    ).toBeUndefined();
  });
});
