/**
 * `pnpm --filter @pricebook/messaging nats-config`: writes deploy/nats/nats-server.conf from the
 * contracts. A test fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderServerConfig } from '../src/server-config';

const target = fileURLToPath(new URL('../../../deploy/nats/nats-server.conf', import.meta.url));
// `NATS_DEPLOYMENTS=,acme`: the users of each deployment sharing the server ('' the unnamed one).
const deployments = process.env.NATS_DEPLOYMENTS?.split(',').map((d) => d.trim());
writeFileSync(target, renderServerConfig(deployments ? { deployments } : {}));
process.stdout.write(`wrote ${target}\n`);
