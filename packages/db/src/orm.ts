import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from '@pricebook/logger';
import { allEntities } from './entities/index';
import { migrationsList } from './migrations/index';

export type Orm = MikroORM;

export interface OrmOptions {
  /** Pool bounds; each replica's max times the replica count must stay under the server's limit. */
  poolMin?: number;
  poolMax?: number;
  /** Idle connections are closed after this long. */
  idleTimeoutMillis?: number;
  /** How long a query waits for a free connection before failing. */
  acquireTimeoutMillis?: number;
  /** Shown in `pg_stat_activity`, so an operator can tell the services apart. */
  applicationName?: string;
  /** Server-side limit per statement; 0 means none. */
  statementTimeoutMs?: number;
  /** SQL lines go to this logger at debug level when given. */
  logger?: Logger;
  /** Keep the schema snapshot in step (only the migration tooling wants this). */
  snapshot?: boolean;
}

/** The committed migrations folder; the generator writes new files here. */
export const migrationsPath = fileURLToPath(new URL('./migrations', import.meta.url));
export const snapshotName = '.snapshot-pricebook';

/** MikroORM options for the engine's database; exported for the migration tooling. */
export function ormConfig(url: string, options: OrmOptions = {}): Options {
  const { logger } = options;
  return defineConfig({
    clientUrl: url,
    entities: allEntities,
    extensions: [Migrator],
    // The global EntityManager is refused: every request or message forks its own.
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
    debug: logger?.isLevelEnabled('debug') ?? false,
    logger: (message: string) => logger?.debug({ component: 'orm' }, message),
    pool: {
      min: options.poolMin ?? 0,
      max: options.poolMax ?? 10,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    },
    driverOptions: {
      connection: {
        application_name: options.applicationName ?? 'pricebook',
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
      acquireConnectionTimeout: options.acquireTimeoutMillis ?? 10_000,
    },
    migrations: {
      tableName: 'pricebook_migrations',
      path: migrationsPath,
      pathTs: migrationsPath,
      migrationsList,
      snapshot: options.snapshot ?? false,
      snapshotName,
      emit: 'ts',
      // Running migrations must never switch triggers off (session_replication_role).
      disableForeignKeys: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
      fileName: (timestamp: string, name?: string) => `${timestamp}-${name ?? 'migration'}`,
    },
  });
}

/**
 * Connects to PostgreSQL. Use `orm.em.fork()` for each unit of work; the global
 * EntityManager throws on use.
 *
 * @example
 * const orm = await createOrm(env.DATABASE_URL, { poolMax: 10, applicationName: 'applier' });
 * const em = orm.em.fork();
 */
export async function createOrm(url: string, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init(ormConfig(url, options));
}
