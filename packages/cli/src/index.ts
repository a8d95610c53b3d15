export {
  type ClientConfig,
  cliApi,
  clientConfig,
  defaultApiUrl,
  problemLine,
  type Refusal,
  refusal,
} from './client';
export { CliError, type ExitCode, exitCodes } from './errors';
export type { Io } from './io';
export { processIo } from './io';
export { mainHelp, run } from './run';
