export {
  ApiClient,
  type ClientConfig,
  clientConfig,
  defaultApiUrl,
  problemLine,
  type Refusal,
} from './client';
export { CliError, type ExitCode, exitCodes } from './errors';
export type { Io } from './io';
export { processIo } from './io';
export { mainHelp, run } from './run';
export { readEvents, type ServerSentEvent } from './sse';
