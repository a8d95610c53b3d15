/**
 * Writes a new migration from the difference between the entities and the committed snapshot,
 * and updates the snapshot. Usage:
 *   DATABASE_URL=… pnpm --filter @pricebook/db migration:create [--name add_x] [--blank] [--initial]
 * Then add the new class to src/migrations/index.ts.
 */
import { parseArgs } from 'node:util';
import { createOrm } from '../src/orm';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    blank: { type: 'boolean', default: false },
    initial: { type: 'boolean', default: false },
  },
});
const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const orm = await createOrm(url, { snapshot: true, poolMax: 1 });
try {
  const result = await orm
    .getMigrator()
    .createMigration(undefined, values.blank, values.initial, values.name);
  console.log(result.fileName ? `created ${result.fileName}` : 'no schema changes; nothing created');
} finally {
  await orm.close();
}
