import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from '@pricebook/logger';
import { createOrm } from './orm';

// Any fixed number works; it only has to be the same in every replica.
const migrationLockKey = 7_204_311_502;

export interface MigrateResult {
  /** Names of the migrations this call applied; empty when the database was up to date. */
  applied: string[];
}

/**
 * Applies every pending migration. Safe to call from several replicas at once: the first takes a
 * PostgreSQL advisory lock and the others wait for it, then find nothing pending.
 *
 * @example
 * await migrate(env.DATABASE_URL);
 */
export async function migrate(url: string, options: { logger?: Logger } = {}): Promise<MigrateResult> {
  // One connection, so the session-level advisory lock and the migrations share it.
  const orm = await createOrm(url, { poolMin: 1, poolMax: 1, applicationName: 'pricebook-migrate' });
  const connection = orm.em.getConnection();
  try {
    await connection.execute(`select pg_advisory_lock(${migrationLockKey})`);
    try {
      const executed = await orm.getMigrator().up();
      const applied = executed.map((m) => m.name);
      options.logger?.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database up to date');
      return { applied };
    } finally {
      await connection.execute(`select pg_advisory_unlock(${migrationLockKey})`);
    }
  } finally {
    await orm.close();
  }
}

/** Reads the committed snapshot, which MikroORM keeps behind a protected method. */
class SnapshotReader extends Migrator {
  snapshot() {
    return this.getSchemaFromSnapshot();
  }
}

/**
 * The SQL the entities need beyond the committed snapshot: empty when every entity change has
 * its migration. Reads only; used by `pnpm migration:check` and the tests.
 */
export async function pendingSchemaChanges(url: string): Promise<string[]> {
  const orm = await createOrm(url, { poolMax: 1, snapshot: true });
  try {
    const fromSchema = new SnapshotReader(orm.em).snapshot();
    if (!fromSchema) throw new Error('the migrations snapshot is missing; run pnpm migration:create');
    const diff = await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false, fromSchema });
    return diff.up
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  } finally {
    await orm.close();
  }
}
