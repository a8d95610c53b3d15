import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './client';
import { CliError, exitCodes } from './errors';
import { SyncProgress } from './progress';

const maxReconnects = 5;

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
        const progress = SyncProgress.parse(JSON.parse(e.data));
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
