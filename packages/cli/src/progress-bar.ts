import type { SyncProgress } from '@pricebook/contracts';
import { duration, statsLine } from './format';
import type { Io } from './io';

/** Shows a sync's progress while `--wait` follows it. */
export interface ProgressReporter {
  update(progress: SyncProgress): void;
  /** Clears the bar (if any) before the result is printed. */
  stop(): void;
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const barWidth = 20;

/**
 * The bar text for one moment: share of entities finished, the entity at work, the counters.
 *
 * @example
 * barLine(progress, 3, 12_000, 100); // '⠸ running [██████████░░░░░░░░░░] 1/2 materials · fetched 1,200 … · 12.0 s'
 */
export function barLine(p: SyncProgress, frame: number, elapsedMs: number, columns: number): string {
  const total = p.entities.requested.length || 1;
  const done = p.entities.done.length;
  const filled = Math.round((done / total) * barWidth);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  const current = p.entities.requested.find((e) => !p.entities.done.includes(e)) ?? '';
  const head = `${spinner[frame % spinner.length]} ${p.status} [${bar}] ${done}/${total} ${current}`;
  const line = `${head} · ${statsLine(p.stats)} · ${duration(elapsedMs)}`;
  return line.length < columns ? line : `${line.slice(0, Math.max(columns - 2, 10))}…`;
}

/** One plain line per progress event, for logs and pipes. */
export function plainLine(p: SyncProgress): string {
  const entities = `${p.entities.done.length}/${p.entities.requested.length} entities`;
  return `${p.status} ${entities} ${statsLine(p.stats)}`;
}

/**
 * A live bar redrawn in place on a terminal (ticking every 200 ms so the clock moves), or plain
 * lines on stderr otherwise.
 *
 * @example
 * const reporter = progressReporter(io);
 * reporter.update(progress); … reporter.stop();
 */
export function progressReporter(io: Io): ProgressReporter {
  if (!io.errIsTty) return { update: (p) => io.err(plainLine(p)), stop: () => undefined };
  const started = Date.now();
  let frame = 0;
  let last: SyncProgress | undefined;
  const draw = () => {
    if (!last) return;
    frame += 1;
    io.errRaw(`\r\x1b[2K${barLine(last, frame, Date.now() - started, io.columns)}`);
  };
  const timer = setInterval(draw, 200);
  return {
    update(p) {
      last = p;
      draw();
    },
    stop() {
      clearInterval(timer);
      if (last) io.errRaw('\r\x1b[2K');
    },
  };
}
