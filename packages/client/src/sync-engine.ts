import { type ApiClientOptions, createApiClient, type PricebookClient } from './create-api-client';
import { followSync } from './follow-sync';
import { unwrap } from './problem-error';
import type { RetryOptions } from './retry';
import type {
  ConflictFilters,
  ConflictList,
  LogsQuery,
  ResolveRequest,
  ResolveResult,
  SyncLogList,
  SyncProgress,
  SyncRequest,
  SyncResult,
  SyncStatus,
} from './types';

/** Where the engine's API is and how to sign in (the specification's engine took a database and an ST client instead). */
export interface EngineOptions {
  /** The API, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** An API key: operator to sync and resolve, viewer to read, admin for the scheduler. */
  apiKey?: string;
  /** The ServiceTitan tenant, sent as `Pricebook-Tenant`. */
  tenant?: string;
  fetch?: typeof fetch;
  retry?: RetryOptions | false;
}

/** The extra fields of a resolution: `fields` and `values` for `merge`, `note` for `manual`. */
export type ResolveExtras = Pick<ResolveRequest, 'fields' | 'values' | 'note'>;

/** The options every helper of this package turns into a client. */
export function clientOptions(options: EngineOptions): ApiClientOptions {
  return {
    baseUrl: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  };
}

function resultOf(final: SyncProgress): SyncResult {
  const { status } = final;
  if (status !== 'completed' && status !== 'failed' && status !== 'cancelled') {
    throw new Error(`sync ${final.syncLogId} ended its progress stream while ${status}`);
  }
  return {
    success: status === 'completed',
    syncLogId: final.syncLogId,
    status,
    dryRun: final.dryRun,
    duration: final.durationMs,
    stats: final.stats,
    ...(final.errorMessage ? { error: final.errorMessage } : {}),
  };
}

/**
 * The original specification's programmatic API, over the HTTP API: start a sync and wait for it,
 * list and resolve conflicts, read the status and the history. Refusals throw a `ProblemError`;
 * `api` is the typed client underneath, for everything else.
 *
 * @example
 * const syncEngine = new PricebookSyncEngine({ url: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_API_KEY });
 * const result = await syncEngine.sync({ direction: 'from_st', fullSync: true, resolveConflicts: 'manual' });
 * console.log(`Synced ${result.stats.created} new, ${result.stats.updated} updated`);
 */
export class PricebookSyncEngine {
  /** The typed client the engine calls through. */
  readonly api: PricebookClient;

  constructor(options: EngineOptions) {
    this.api = createApiClient(clientOptions(options));
  }

  /**
   * Starts a sync (`fullSync: true` a full one, otherwise incremental) and waits for its end,
   * following its progress stream. A sync that fails is a result with `success: false` and
   * `error`, not an exception; a refusal (bad options, a sync of these entities already
   * running) throws a `ProblemError`.
   *
   * @example
   * const result = await syncEngine.sync({ fullSync: true, entityTypes: ['materials'], dryRun: true });
   * if (!result.success) console.error(result.error);
   */
  async sync(
    options: SyncRequest & { onProgress?: (progress: SyncProgress) => void } = {},
  ): Promise<SyncResult> {
    const { onProgress, ...body } = options;
    const accepted = unwrap(
      body.fullSync
        ? await this.api.POST('/api/sync/pricebook/full', { body })
        : await this.api.POST('/api/sync/pricebook/incremental', { body }),
    );
    // The stream, not `?wait=true`: a long sync would outlast an HTTP client's patience for headers,
    // while the stream sends something every 15 s.
    const final = await followSync(this.api, accepted.syncLogId, onProgress ? { onProgress } : {});
    return resultOf(final);
  }

  /**
   * One page of conflicts (unresolved ones unless `status` says otherwise), with `total`,
   * `counts` per status and the cursor of the next page.
   *
   * @example
   * const { conflicts, total } = await syncEngine.getConflicts({ entityType: 'materials' });
   */
  async getConflicts(filters: ConflictFilters = {}): Promise<ConflictList> {
    return unwrap(await this.api.GET('/api/sync/pricebook/conflicts', { params: { query: filters } }));
  }

  /**
   * Resolves one conflict with `keep_st`, `keep_local`, `merge` (with `fields` or `values`), or
   * `manual` (leave it open, recording who looked). Waits for the engine to apply it.
   *
   * @example
   * await syncEngine.resolveConflict(conflictId, 'keep_st', 'admin');
   * await syncEngine.resolveConflict(conflictId, 'merge', 'admin', { fields: { price: 'local' } });
   */
  async resolveConflict(
    conflictId: string,
    strategy: ResolveRequest['strategy'],
    resolvedBy: string,
    extras: ResolveExtras = {},
  ): Promise<ResolveResult> {
    return unwrap(
      await this.api.POST('/api/sync/pricebook/resolve-conflict/{id}', {
        params: { path: { id: conflictId } },
        body: { strategy, resolvedBy, ...extras },
      }),
    );
  }

  /**
   * The last sync, syncs in progress, per-entity counts, unresolved conflicts and the scheduler.
   *
   * @example
   * const { lastSync, unresolvedConflicts } = await syncEngine.getStatus();
   */
  async getStatus(): Promise<SyncStatus> {
    return unwrap(await this.api.GET('/api/sync/pricebook/status'));
  }

  /**
   * One page of the sync history, newest first.
   *
   * @example
   * const { logs, page } = await syncEngine.getLogs({ limit: 10, status: 'failed' });
   */
  async getLogs(query: LogsQuery = {}): Promise<SyncLogList> {
    return unwrap(await this.api.GET('/api/sync/pricebook/logs', { params: { query } }));
  }
}
