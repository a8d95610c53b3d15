/** One caller waiting in a limiter's line. */
export interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

interface Entry extends Waiter {
  onAbort: (() => void) | undefined;
}

/**
 * The first-come line both limiters keep: a waiter whose signal aborts leaves it and is rejected
 * with the signal's reason; one taken out of it (served or moved elsewhere) no longer listens.
 *
 * @example
 * const line = new WaiterLine();
 * const granted = line.wait(signal);
 * line.serveFirst(); // granted resolves
 */
export class WaiterLine {
  private readonly entries: Entry[] = [];

  get length(): number {
    return this.entries.length;
  }

  /** Joins the line; `onLeave` runs after an aborted waiter left it. */
  wait(signal: AbortSignal | undefined, onLeave?: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        entry.onAbort = () => {
          const i = this.entries.indexOf(entry);
          if (i >= 0) this.entries.splice(i, 1);
          reject(signal.reason);
          onLeave?.();
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.entries.push(entry);
    });
  }

  /** Grants the first waiter (if any) its slot. */
  serveFirst(): void {
    this.take(this.entries.shift())?.resolve();
  }

  /** Takes every waiter out of the line, to be served some other way. */
  takeAll(): Waiter[] {
    return this.entries.splice(0).map((entry) => this.take(entry) ?? entry);
  }

  private take(entry: Entry | undefined): Entry | undefined {
    if (entry?.signal && entry.onAbort) entry.signal.removeEventListener('abort', entry.onAbort);
    return entry;
  }
}
