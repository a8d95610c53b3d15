import type { Message } from '@pricebook/contracts';
import { deterministicRecordId, type LocalEdit, type RecordRef } from '@pricebook/db';

/** The message types of the `applier-inbound` durable. */
export type InboundType = 'inbound.upsert' | 'inbound.delete';

function refOf(data: { stId?: number | undefined; recordId?: string | undefined }): RecordRef | undefined {
  if (data.stId !== undefined) return { stId: data.stId };
  if (data.recordId !== undefined) return { id: data.recordId };
  return undefined;
}

/**
 * The id of the row an upsert without `stId`/`recordId` creates: derived from the tenant, the
 * entity and the message id, so a redelivered (or republished) create finds the row it made the
 * first time instead of adding a duplicate.
 *
 * @example
 * inboundCreateId(message); // the same uuid for every delivery of this message
 */
export function inboundCreateId(message: Message<'inbound.upsert'>): string {
  return deterministicRecordId(`inbound:${message.tenant}:${message.data.entity}:${message.id}`);
}

/**
 * Each inbound message as the local edit it asks for; the map is exhaustive, so a new inbound
 * type does not compile until it says what it does.
 *
 * @example
 * const edit = inboundEdits[message.type](message as never);
 */
export const inboundEdits: { [K in InboundType]: (message: Message<K>) => LocalEdit } = {
  'inbound.upsert': (message) => {
    const ref = refOf(message.data);
    if (ref) return { op: 'update', ref, record: message.data.record };
    return { op: 'create', id: inboundCreateId(message), record: message.data.record };
  },
  'inbound.delete': (message) => {
    const ref = refOf(message.data);
    // The contract requires exactly one id; this only guards against a schema change.
    if (!ref) throw new TypeError('inbound.delete without stId or recordId');
    return { op: 'delete', ref };
  },
};

/** One inbound message as its edit, dispatched on its type. */
export function inboundEdit(message: Message<InboundType>): LocalEdit {
  return message.type === 'inbound.upsert'
    ? inboundEdits['inbound.upsert'](message)
    : inboundEdits['inbound.delete'](message);
}
