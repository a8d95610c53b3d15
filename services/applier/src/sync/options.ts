import { readSyncOptions } from '@pricebook/contracts';

/**
 * Reads a sync's options (`pricebook_sync_log.options`) with the sync command's defaults: the
 * contracts' one reader, shared with the API and the comparator.
 *
 * @example
 * syncOptions({ entityTypes: ['materials'] }).resolveConflicts; // 'manual'
 */
export const syncOptions = readSyncOptions;
