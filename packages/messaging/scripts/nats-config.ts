/**
 * `pnpm --filter @pricebook/messaging nats-config`: writes deploy/nats/nats-server.conf from the
 * contracts. A test fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderServerConfig } from '../src/server-config';

const target = fileURLToPath(new URL('../../../deploy/nats/nats-server.conf', import.meta.url));
writeFileSync(target, renderServerConfig());
process.stdout.write(`wrote ${target}\n`);
