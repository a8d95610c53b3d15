import { z } from 'zod';

/** `GET /healthz`: the process is alive. */
export const Alive = z.object({ status: z.literal('ok') }).meta({ id: 'Alive', example: { status: 'ok' } });
export type Alive = z.infer<typeof Alive>;

/** `GET /readyz`: the database and NATS answer. */
export const Ready = z
  .object({
    status: z.literal('ready'),
    checks: z.object({ database: z.literal('ok'), nats: z.literal('ok') }),
  })
  .meta({ id: 'Ready', example: { status: 'ready', checks: { database: 'ok', nats: 'ok' } } });
export type Ready = z.infer<typeof Ready>;
