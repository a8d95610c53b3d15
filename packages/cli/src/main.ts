import { processIo } from './io';
import { run } from './run';

// Composition root: the process's arguments and streams in, an exit code out.
process.exitCode = await run(process.argv.slice(2), processIo());
