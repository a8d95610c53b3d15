import { parseArgs } from 'node:util';
import { loadConfig } from '@pricebook/config';
import { EntityType } from '@pricebook/contracts';
import { createOrm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { backfill } from './backfill';
import { embedderEnv } from './env';
import { openEmbedder } from './start';

/**
 * `node dist/main.js backfill [--tenant ID] [--entity materials]`: embeds every row without a
 * vector or with an outdated one, then exits (0 when done, 1 on failure or without a provider).
 */
export async function runBackfillCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    // `pnpm … backfill -- --tenant 1` passes the `--` along.
    args: args.filter((a) => a !== '--'),
    options: { tenant: { type: 'string' }, entity: { type: 'string' } },
  });
  const env = loadConfig(embedderEnv);
  const log = createLogger({ service: 'embedder-backfill', level: env.LOG_LEVEL });
  const entity = values.entity === undefined ? undefined : EntityType.parse(values.entity);
  const orm = await createOrm(env.DATABASE_URL, {
    poolMax: 2,
    applicationName: 'embedder-backfill',
    logger: log,
  });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  try {
    const opened = await openEmbedder(env, orm, log, stop.signal);
    if (!opened) return 1;
    const counts = await backfill(
      { orm, log, ...opened },
      {
        ...(values.tenant ? { tenant: values.tenant } : {}),
        ...(entity ? { entity } : {}),
        signal: stop.signal,
      },
    );
    log.info({ ...counts, stopped: stop.signal.aborted }, 'backfill finished');
    return stop.signal.aborted ? 1 : 0;
  } catch (err) {
    log.error({ err }, 'backfill failed');
    return 1;
  } finally {
    await orm.close();
  }
}
