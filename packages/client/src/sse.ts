/** One server-sent event, as the stream delivered it. */
export interface ServerSentEvent {
  /** `message` when the server named none. */
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Reads a `text/event-stream` body event by event (comments and `retry:` ignored), following the
 * WHATWG rules: lines end with CRLF, LF or CR; a blank line dispatches; `data` lines join with LF.
 * Reads with a reader, as not every browser can iterate a stream with `for await`.
 *
 * @example
 * for await (const e of readEvents(res.body)) console.log(e.event, JSON.parse(e.data));
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // A trailing CR may be the first half of a CRLF split across chunks: wait for the next one.
      const lines = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'event') event = value;
        else if (name === 'data') data.push(value);
        else if (name === 'id' && !value.includes('\0')) id = value;
      }
    }
  } finally {
    // A consumer that stops early (or a failure) must not leave the connection open.
    await reader.cancel().catch(() => undefined);
  }
}
