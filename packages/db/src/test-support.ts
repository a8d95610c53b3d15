import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@pricebook/testing';
import { migrate } from './migrate';
import { createOrm, type Orm } from './orm';
import type { WriteContext } from './write-context';
import { setWriteContext } from './write-context';

/** A migrated database of its own for one test file (test support, not exported). */
export interface MigratedDatabase {
  db: TestDatabase;
  orm: Orm;
  /** Runs one statement outside any transaction, exactly as psql or another tool would. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction, optionally marked with a write context. */
  tx<T>(work: (em: EntityManager) => Promise<T>, ctx?: WriteContext): Promise<T>;
  close(): Promise<void>;
}

export async function migratedDatabase(): Promise<MigratedDatabase> {
  const db = await createTestDatabase('pb_db');
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 4 });
  return {
    db,
    orm,
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    tx: (work, ctx) =>
      orm.em.fork().transactional(async (em) => {
        if (ctx) await setWriteContext(em, ctx);
        return work(em);
      }),
    async close() {
      await orm.close();
      await db.drop();
    },
  };
}

export interface ChangeRow {
  operation: string;
  origin: string;
  changed_fields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  sync_log_id: string | null;
  actor: string | null;
  record_id: string;
}

export interface OutboxRow {
  subject: string;
  event_type: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
}
