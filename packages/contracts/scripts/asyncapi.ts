/**
 * `pnpm --filter @pricebook/contracts asyncapi`: writes docs/asyncapi.json from the contracts. A test
 * fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument } from '../src/messaging/asyncapi';

const target = fileURLToPath(new URL('../../../docs/asyncapi.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
