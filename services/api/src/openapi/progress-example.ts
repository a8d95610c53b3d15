import type { SyncProgress } from '@pricebook/contracts';

const id = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';

const running: SyncProgress = {
  syncLogId: id,
  status: 'running',
  dryRun: false,
  stats: { fetched: 1200, created: 15, updated: 40, deleted: 0, skipped: 1145, conflicts: 0, errors: 0 },
  entityStats: {
    categories: { fetched: 50, created: 0, updated: 3, deleted: 0, skipped: 47, conflicts: 0, errors: 0 },
    materials: {
      fetched: 1150,
      created: 15,
      updated: 37,
      deleted: 0,
      skipped: 1098,
      conflicts: 0,
      errors: 0,
    },
  },
  entities: { requested: ['categories', 'materials'], done: ['categories'] },
  durationMs: null,
  errorMessage: null,
};

const frame = (event: string, seq: number, data: SyncProgress) =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\nid: ${seq}\n\n`;

/** What a client reads from the stream, for the OpenAPI example. */
export const progressStreamExample =
  frame('progress', 1, running) +
  ': keep-alive\n\n' +
  frame('completed', 2, {
    ...running,
    status: 'completed',
    entities: { requested: ['categories', 'materials'], done: ['categories', 'materials'] },
    durationMs: 44000,
  });
