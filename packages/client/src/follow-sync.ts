import type { PricebookClient } from './create-api-client';
import { unwrap } from './problem-error';
import { readEvents, type ServerSentEvent } from './sse';
import type { SyncProgress } from './types';

/**
 * The events of one sync's progress stream (`GET /api/sync/pricebook/logs/{id}/events`), from
 * `lastEventId` on (a reconnect resumes the numbering).
 *
 * @example
 * for await (const e of syncEvents(api, syncLogId)) if (e.event !== 'progress') break;
 */
export async function* syncEvents(
  api: PricebookClient,
  syncLogId: string,
  lastEventId?: string,
): AsyncGenerator<ServerSentEvent> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const body = unwrap(
    await api.GET('/api/sync/pricebook/logs/{id}/events', {
      params: { path: { id: syncLogId } },
      headers,
      parseAs: 'stream',
    }),
  );
  if (!body) throw new Error(`the API sent an empty event stream for sync ${syncLogId}`);
  yield* readEvents(body);
}

/**
 * The progress stream of a sync was lost more often than {@link followSync} reconnects; the sync
 * itself may still be running (read it with `GET /api/sync/pricebook/logs/{id}`).
 *
 * @example
 * if (error instanceof SyncStreamLostError) console.error(`sync ${error.syncLogId}: ${error.message}`);
 */
export class SyncStreamLostError extends Error {
  override readonly name = 'SyncStreamLostError';
  constructor(readonly syncLogId: string) {
    super(`lost the progress stream of sync ${syncLogId}`);
  }
}

export interface FollowOptions {
  /** Called with each `progress` event. */
  onProgress?: (progress: SyncProgress) => void;
  /** Reads one event's `data` (default `JSON.parse`); a caller that checks the shape throws its own error. */
  parse?: (data: string) => SyncProgress;
  /** Reconnects in a row before giving up (default 5). */
  maxReconnects?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Follows a sync's progress stream to its end and returns its final state (`completed`, `failed`
 * or `cancelled`). A dropped stream is reopened with `Last-Event-ID`, as EventSource does; the
 * API's refusals are not retried here (the client's retries already covered 429 and 503).
 *
 * @example
 * const final = await followSync(api, syncLogId, { onProgress: (p) => console.log(p.stats.fetched) });
 */
export async function followSync(
  api: PricebookClient,
  syncLogId: string,
  options: FollowOptions = {},
): Promise<SyncProgress> {
  const parse = options.parse ?? ((data: string) => JSON.parse(data) as SyncProgress);
  const maxReconnects = options.maxReconnects ?? 5;
  let lastEventId: string | undefined;
  for (let attempt = 0; attempt <= maxReconnects; attempt++) {
    if (attempt > 0) await pause(500 * attempt);
    try {
      for await (const e of syncEvents(api, syncLogId, lastEventId)) {
        lastEventId = e.id ?? lastEventId;
        // The server gave up on this stream (it logged why); a new one picks up where it was.
        if (e.event === 'error') break;
        const progress = parse(e.data);
        if (e.event === 'completed' || e.event === 'failed') return progress;
        options.onProgress?.(progress);
        attempt = 0;
      }
    } catch (error) {
      // fetch reports a connection cut (also mid-body) as a TypeError; anything else is not a dropped stream.
      if (!(error instanceof TypeError)) throw error;
    }
  }
  throw new SyncStreamLostError(syncLogId);
}
