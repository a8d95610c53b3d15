import type { JetStreamClient } from '@nats-io/jetstream';
import type { Message } from '@pricebook/contracts';
import { type PublishOptions, publish } from './publish';

export interface PublishWindowOptions extends PublishOptions {
  /** Publishes awaiting JetStream's acknowledgement at once (at least 1). */
  limit: number;
}

/**
 * A window of publishes awaiting JetStream's acknowledgement, kept across many calls: `add`
 * waits while `limit` are outstanding, so a producer holds at most that many messages (and the
 * records they point at) in flight however large its input, and slows to the pace JetStream
 * acknowledges. Unlike one `publishAll` per page, the window does not empty at each page's end.
 * The first failure is thrown by the next `add` or by `drain`; publishing again is safe, the
 * message ids make repeats duplicates.
 *
 * @example
 * const window = new PublishWindow(js, { limit: 256, validated: true });
 * for await (const page of pages) for (const m of messagesOf(page)) await window.add(m);
 * const { published, duplicates } = await window.drain();
 */
export class PublishWindow {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private published = 0;
  private duplicates = 0;
  private readonly limit: number;

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: PublishWindowOptions,
  ) {
    this.limit = Math.max(1, options.limit);
  }

  /** Publishes awaiting their acknowledgement now. */
  get outstanding(): number {
    return this.inFlight.size;
  }

  /** Starts one publish, first waiting for room in the window. */
  async add(message: Message): Promise<void> {
    while (this.inFlight.size >= this.limit && !this.failure) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
    const tracked: Promise<void> = publish(this.js, message, this.options).then(
      (result) => {
        this.published += 1;
        if (result.duplicate) this.duplicates += 1;
        this.inFlight.delete(tracked);
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.inFlight.delete(tracked);
      },
    );
    this.inFlight.add(tracked);
  }

  /** Waits for every outstanding acknowledgement; throws the first failure, if any. */
  async drain(): Promise<{ published: number; duplicates: number }> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
    return { published: this.published, duplicates: this.duplicates };
  }
}
