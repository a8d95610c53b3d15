import { setTimeout as sleep } from 'node:timers/promises';
import { SyncProgress } from '@pricebook/contracts';
import type { ApiClient } from './client';
import { CliError, exitCodes } from './errors';

const maxReconnects = 5;

/** The `data` of one event, parsed with the contracts' `SyncProgress`; a malformed one is a clear error. */
function parseProgress(data: string, syncLogId: string): SyncProgress {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    json = undefined;
  }
  const parsed = SyncProgress.safeParse(json);
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
 * each `progress` event. A dropped stream is reopened (with `Last-Event-ID`), as EventSource does,
 * since a proxy or API restart cutting the connection must not make an operator's `--wait` fail; API errors are not retried.
 *
 * @example
 * const final = await followSync(client, syncLogId, (p) => reporter.update(p));
 */
export async function followSync(
  client: ApiClient,
  syncLogId: string,
  onProgress: (progress: SyncProgress) => void,
): Promise<SyncProgress> {
  let lastEventId: string | undefined;
  for (let attempt = 0; attempt <= maxReconnects; attempt++) {
    if (attempt > 0) await sleep(500 * attempt);
    try {
      for await (const e of client.syncEvents(syncLogId, lastEventId)) {
        lastEventId = e.id ?? lastEventId;
        // The server gave up on this stream (it logged why); a new one picks up where it was.
        if (e.event === 'error') break;
        const progress = parseProgress(e.data, syncLogId);
        if (e.event === 'completed' || e.event === 'failed') return progress;
        onProgress(progress);
        attempt = 0;
      }
    } catch (error) {
      // fetch reports a connection cut mid-body as a TypeError; anything else is not a dropped stream.
      if (!(error instanceof TypeError)) throw error;
    }
  }
  throw new CliError(`lost the progress stream of sync ${syncLogId}`, exitCodes.failure);
}
