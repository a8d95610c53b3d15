/** `pnpm --filter @pricebook/db migration:check`: fails when an entity change has no migration. */
import { pendingSchemaChanges } from '../src/migrate';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const pending = await pendingSchemaChanges(url);
if (pending.length > 0) {
  console.error(
    `entities differ from the migrations snapshot; run pnpm migration:create:\n${pending.join('\n')}`,
  );
  process.exitCode = 1;
} else {
  console.log('migrations are in step with the entities');
}
