/** `pnpm --filter @pricebook/db migrate`: applies pending migrations to DATABASE_URL. */
import { databaseEnv, loadConfig } from '@pricebook/config';
import { createLogger } from '@pricebook/logger';
import { migrate } from '../src/migrate';

const env = loadConfig(databaseEnv);
const logger = createLogger({ service: 'db-migrate' });
try {
  await migrate(env.DATABASE_URL, { logger });
} catch (error) {
  logger.error({ err: error }, 'migration failed');
  process.exitCode = 1;
}
