import { z } from 'zod';

/** What a continuation token carries. Clients must treat the string as opaque. */
export interface ExportCursor {
  tenantId: string;
  entity: string;
  /** The tenant's generation: a token from a previous sandbox state is refused, not misread. */
  generation: number;
  /** Last change-log sequence number the client has been given. */
  seq: number;
}

const tokenShape = z.object({
  v: z.literal(1),
  t: z.string(),
  e: z.string(),
  g: z.number(),
  s: z.number().int().min(0),
});

export function encodeCursor(cursor: ExportCursor): string {
  const json = JSON.stringify({
    v: 1,
    t: cursor.tenantId,
    e: cursor.entity,
    g: cursor.generation,
    s: cursor.seq,
  });
  return Buffer.from(json).toString('base64url');
}

/** The cursor inside `token`, or undefined when it is not one of ours (e.g. a date). */
export function decodeCursor(token: string): ExportCursor | undefined {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) return undefined;
  try {
    const parsed = tokenShape.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (!parsed.success) return undefined;
    const { t, e, g, s } = parsed.data;
    return { tenantId: t, entity: e, generation: g, seq: s };
  } catch {
    return undefined;
  }
}
