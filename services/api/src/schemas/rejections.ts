import { z } from '@hono/zod-openapi';
import { IsoDateTime, SafeText } from '@pricebook/contracts';

export const RejectionsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: SafeText.min(1)
    .max(400)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The `nextCursor` of the previous page',
    }),
  stream: SafeText.min(1)
    .max(100)
    .optional()
    .openapi({ param: { name: 'stream', in: 'query' }, example: 'PRICEBOOK_INBOUND' }),
  subject: SafeText.min(1)
    .max(300)
    .optional()
    .openapi({
      param: { name: 'subject', in: 'query' },
      description: 'Exact subject, or a prefix ending in `>` (`pricebook.inbound.1001.materials.>`)',
      example: 'pricebook.inbound.1001.materials.>',
    }),
});
export type RejectionsQuery = z.infer<typeof RejectionsQuerySchema>;

export const RejectionSchema = z
  .object({
    id: z.guid(),
    stream: z.string(),
    consumer: z.string(),
    subject: z.string(),
    streamSeq: z.number().int(),
    deliveryCount: z.number().int(),
    reason: z.string().openapi({ description: 'Why the message was terminated' }),
    payload: z.string().openapi({ description: 'The message as received (UTF-8)' }),
    createdAt: IsoDateTime,
  })
  .openapi('Rejection');
export type Rejection = z.infer<typeof RejectionSchema>;

export const RejectionsResponseSchema = z
  .object({
    success: z.literal(true),
    rejections: z.array(RejectionSchema),
    page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }),
  })
  .openapi('RejectionList', {
    example: {
      success: true,
      rejections: [
        {
          id: '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d',
          stream: 'PRICEBOOK_INBOUND',
          consumer: 'applier-inbound',
          subject: 'pricebook.inbound.1001.materials.upsert.v1',
          streamSeq: 118,
          deliveryCount: 1,
          reason: 'rejected: validation_failed: the record is not valid: modifiedOn (read-only field)',
          payload: '{"id":"vendor-feed:2025-12-06:CU-12-10","type":"inbound.upsert",…}',
          createdAt: '2025-12-06T02:00:06.000Z',
        },
      ],
      page: { limit: 50, nextCursor: null },
    },
  });

export const RejectionParamsSchema = z.object({
  id: z
    .guid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d' }),
});

export const RedriveResultSchema = z
  .object({
    success: z.literal(true),
    redriven: z.object({
      id: z.guid().openapi({ description: 'The dead letter, now removed' }),
      subject: z.string(),
      messageId: z.string().openapi({ description: 'The envelope id, unchanged' }),
      natsMsgId: z.string().openapi({ description: '`Nats-Msg-Id` of the new publish: `redrive:<id>`' }),
    }),
  })
  .openapi('RedriveResult', {
    example: {
      success: true,
      redriven: {
        id: '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d',
        subject: 'pricebook.inbound.1001.materials.upsert.v1',
        messageId: 'vendor-feed:2025-12-06:CU-12-10',
        natsMsgId: 'redrive:0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d',
      },
    },
  });
