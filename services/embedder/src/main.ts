import { consumers } from '@pricebook/contracts';
import { runService } from '@pricebook/service-kit';
import { runBackfillCommand } from './backfill-command';
import { embedderEnv } from './env';
import { startEmbedder } from './start';

// Composition root. `main.js backfill` embeds what has no vector yet and exits; otherwise the kit
// opens the database and NATS, serves health, and runs the consumers of the change events.
if (process.argv[2] === 'backfill') {
  process.exit(await runBackfillCommand(process.argv.slice(3)));
}
await runService({
  name: 'embedder',
  env: embedderEnv,
  database: true,
  nats: true,
  health: { consumers: [consumers.embedCreated, consumers.embedUpdated] },
  start: startEmbedder,
});
