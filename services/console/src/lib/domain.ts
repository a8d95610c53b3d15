/** The API's closed lists, as the console's filters and forms offer them. */
export const entityTypes = ['categories', 'materials', 'services', 'equipment'] as const;
export type EntityType = (typeof entityTypes)[number];
export const conflictStatuses = ['unresolved', 'resolved', 'superseded'] as const;
export const conflictTypes = [
  'both_modified',
  'local_deleted_st_modified',
  'st_deleted_local_modified',
] as const;
export const syncLogStatuses = ['queued', 'running', 'pushing', 'completed', 'failed', 'cancelled'] as const;
export const syncTypes = ['full', 'incremental', 'push', 'resolve'] as const;
export const directions = ['from_st', 'to_st', 'bidirectional'] as const;
export const conflictStrategies = ['manual', 'keep_st', 'keep_local'] as const;
export const itemStatuses = ['synced', 'pending_sync', 'conflict'] as const;
/** Every webhook event type (the API's `WebhookEventType`), the most wanted first. */
export const webhookEventTypes = [
  'conflict.opened',
  'conflict.resolved',
  'sync.failed',
  'sync.completed',
  'sync.started',
  'sync.progress',
  'record.created',
  'record.updated',
  'record.deleted',
] as const;
export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
