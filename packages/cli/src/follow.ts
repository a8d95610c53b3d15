import {
  followSync as follow,
  type PricebookClient,
  type SyncProgress,
  SyncStreamLostError,
} from '@pricebook/client';
import { SyncProgress as SyncProgressSchema } from '@pricebook/contracts';
import { CliError, exitCodes } from './errors';

/** The `data` of one event, parsed with the contracts' `SyncProgress`; a malformed one is a clear error. */
function parseProgress(data: string, syncLogId: string): SyncProgress {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    json = undefined;
  }
  const parsed = SyncProgressSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'not JSON';
  throw new CliError(
    `the progress of sync ${syncLogId} is not what this CLI expects (${where})`,
    exitCodes.failure,
  );
}

/**
 * Follows a sync's event stream to its end and returns its final state, calling `onProgress` for
 * each `progress` event. `@pricebook/client` reopens a dropped stream (with `Last-Event-ID`), since
 * a proxy or API restart cutting the connection must not make an operator's `--wait` fail.
 *
 * @example
 * const final = await followSync(api, syncLogId, (p) => reporter.update(p));
 */
export async function followSync(
  api: PricebookClient,
  syncLogId: string,
  onProgress: (progress: SyncProgress) => void,
): Promise<SyncProgress> {
  try {
    return await follow(api, syncLogId, { onProgress, parse: (data) => parseProgress(data, syncLogId) });
  } catch (error) {
    if (error instanceof SyncStreamLostError) throw new CliError(error.message, exitCodes.failure);
    throw error;
  }
}
