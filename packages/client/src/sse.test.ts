import { describe, expect, it } from 'vitest';
import { readEvents, type ServerSentEvent } from './sse';

const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });

async function all(body: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const e of readEvents(body)) out.push(e);
  return out;
}

describe('readEvents', () => {
  it('reads named events with ids, skipping comments, across chunk boundaries', async () => {
    const events = await all(
      streamOf(
        'event: progress\nda',
        'ta: {"a":1}\nid: 1\n\n: keep-alive\n\n',
        'event: completed\r\n',
        'data: {}\r\nid: 2\r\n\r\n',
      ),
    );
    expect(events).toEqual([
      { event: 'progress', data: '{"a":1}', id: '1' },
      { event: 'completed', data: '{}', id: '2' },
    ]);
  });

  it('joins data lines, defaults the event name and drops an unfinished event', async () => {
    const events = await all(streamOf('data: one\ndata:two\n\ndata: never dispatched\n'));
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo', id: undefined }]);
  });

  it('keeps a CRLF split between chunks as one line end', async () => {
    const events = await all(streamOf('data: x\r', '\n\r\n'));
    expect(events).toEqual([{ event: 'message', data: 'x', id: undefined }]);
  });
});
