import { z } from 'zod';
import { SafeText } from '../limits';
import { IsoDateTime } from '../messaging/envelope';
import { Page, PageQuery } from './page';

const deadLetterId = '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d';

/** Whether an operator discarded a dead letter on purpose (`discarded`) or nobody acted on it yet (`open`). */
export const RejectionStatus = z.enum(['open', 'discarded']).meta({ id: 'RejectionStatus' });
export type RejectionStatus = z.infer<typeof RejectionStatus>;

/** The query of `GET /rejections`: dead letters, newest first, by status, stream and subject. */
export const RejectionsQuery = PageQuery.extend({
  status: z
    .enum(['open', 'discarded', 'all'])
    .default('open')
    .meta({
      param: { name: 'status', in: 'query' },
      description: 'Open ones (the default: waiting for a redrive or a discard), discarded ones, or all',
      example: 'discarded',
    }),
  stream: SafeText.min(1)
    .max(100)
    .optional()
    .meta({ param: { name: 'stream', in: 'query' }, example: 'PRICEBOOK_INBOUND' }),
  subject: SafeText.min(1)
    .max(300)
    .optional()
    .meta({
      param: { name: 'subject', in: 'query' },
      description: 'Exact subject, or a prefix ending in `>` (`pricebook.inbound.1001.materials.>`)',
      example: 'pricebook.inbound.1001.materials.>',
    }),
});
export type RejectionsQuery = z.infer<typeof RejectionsQuery>;

/** A terminated message, kept with its reason. */
export const Rejection = z
  .object({
    id: z.guid(),
    stream: z.string(),
    consumer: z.string(),
    subject: z.string(),
    streamSeq: z.number().int(),
    deliveryCount: z.number().int(),
    reason: z.string().meta({ description: 'Why the message was terminated' }),
    payload: z.string().meta({ description: 'The message as received (UTF-8)' }),
    createdAt: IsoDateTime,
    status: RejectionStatus,
    discardedAt: IsoDateTime.nullable().meta({
      description: 'When an operator discarded it; null while open',
    }),
    discardedBy: z
      .string()
      .nullable()
      .meta({ description: 'The key label of the operator who discarded it' }),
    discardReason: z.string().nullable().meta({ description: 'Why it was discarded, as the operator said' }),
  })
  .meta({ id: 'Rejection' });
export type Rejection = z.infer<typeof Rejection>;

const openRejectionExample: Rejection = {
  id: deadLetterId,
  stream: 'PRICEBOOK_INBOUND',
  consumer: 'applier-inbound',
  subject: 'pricebook.inbound.1001.materials.upsert.v1',
  streamSeq: 118,
  deliveryCount: 1,
  reason: 'rejected: validation_failed: the record is not valid: modifiedOn (read-only field)',
  payload: '{"id":"vendor-feed:2025-12-06:CU-12-10","type":"inbound.upsert",…}',
  createdAt: '2025-12-06T02:00:06.000Z',
  status: 'open',
  discardedAt: null,
  discardedBy: null,
  discardReason: null,
};

/** `GET /rejections`. */
export const RejectionsResponse = z
  .object({ success: z.literal(true), rejections: z.array(Rejection), page: Page })
  .meta({
    id: 'RejectionList',
    example: {
      success: true,
      rejections: [openRejectionExample],
      page: { limit: 50, nextCursor: null },
    },
  });
export type RejectionsResponse = z.infer<typeof RejectionsResponse>;

/** The path of `POST /rejections/{id}/redrive` and `…/discard`. */
export const RejectionParams = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: deadLetterId }),
});
export type RejectionParams = z.infer<typeof RejectionParams>;

/** `POST /rejections/{id}/redrive`: the dead letter published again. */
export const RedriveResult = z
  .object({
    success: z.literal(true),
    redriven: z.object({
      id: z.guid().meta({ description: 'The dead letter, now removed' }),
      subject: z.string(),
      messageId: z.string().meta({ description: 'The envelope id, unchanged' }),
      natsMsgId: z.string().meta({ description: '`Nats-Msg-Id` of the new publish: `redrive:<id>`' }),
    }),
  })
  .meta({
    id: 'RedriveResult',
    example: {
      success: true,
      redriven: {
        id: deadLetterId,
        subject: 'pricebook.inbound.1001.materials.upsert.v1',
        messageId: 'vendor-feed:2025-12-06:CU-12-10',
        natsMsgId: `redrive:${deadLetterId}`,
      },
    },
  });
export type RedriveResult = z.infer<typeof RedriveResult>;

/** `POST /rejections/{id}/discard`: why the dead letter is dropped on purpose. */
export const DiscardBody = z
  .object({
    reason: SafeText.trim()
      .min(1)
      .max(500)
      .meta({ description: 'Why nobody will redrive it (kept with the dead letter)' }),
  })
  .meta({ id: 'DiscardBody', example: { reason: 'test message sent by hand; nothing to apply' } });
export type DiscardBody = z.infer<typeof DiscardBody>;

/** `POST /rejections/{id}/discard`: the dead letter, now discarded. */
export const DiscardResult = z.object({ success: z.literal(true), rejection: Rejection }).meta({
  id: 'DiscardResult',
  example: {
    success: true,
    rejection: {
      ...openRejectionExample,
      status: 'discarded',
      discardedAt: '2025-12-06T09:12:40.000Z',
      discardedBy: 'operator:0a1b2c3d4e5f',
      discardReason: 'test message sent by hand; nothing to apply',
    },
  },
});
export type DiscardResult = z.infer<typeof DiscardResult>;
