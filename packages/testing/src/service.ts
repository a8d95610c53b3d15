import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  name: string;
  /** Last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Graceful stop (SIGTERM), waiting for exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Crash it: SIGKILL, no chance to clean up. */
  kill(): Promise<void>;
  /** Start it again with the same environment, plus `env` when given. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Whether the process is still alive. */
  running(): boolean;
  /** Resident memory peak in bytes as the kernel reports it (VmHWM), while running. */
  peakRss(): number | undefined;
  /** Resident memory now in bytes (VmRSS), while running. */
  rss(): number | undefined;
}

export interface StartServiceOptions {
  /** Folder under `services/`. */
  name: string;
  env: Record<string, string>;
  /** A line the service logs once it is ready; defaults to a pino line with msg `ready` or `listening`. */
  readyLine?: RegExp;
  timeoutMs?: number;
}

const defaultReady = /"msg":"(ready|http listening|[a-z]+ started)"/;

/**
 * Runs one of the engine's services as its own process (as in production: services never
 * import each other), waiting until it logs that it is ready.
 *
 * @example
 * const fetcher = await startService({ name: 'fetcher', env: { DATABASE_URL, NATS_URL } });
 * await fetcher.kill(); await fetcher.restart();
 */
export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  // The bundle, as every deployment runs it (vitest's global setup builds it before any test).
  const main = `services/${options.name}/dist/main.js`;
  let child: ChildProcess | undefined;
  let tail = '';
  let env = options.env;

  const launch = async () => {
    const proc = spawn(process.execPath, [main], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    proc.channel?.unref();
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const ready = options.readyLine ?? defaultReady;
      const timer = setTimeout(
        () =>
          reject(new Error(`${options.name} not ready after ${options.timeoutMs ?? 60_000} ms:\n${tail}`)),
        options.timeoutMs ?? 60_000,
      );
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        tail = (tail + text).slice(-8000);
        if (ready.test(text)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited with ${code} before it was ready:\n${tail}`));
      });
    });
  };

  const waitExit = (proc: ChildProcess, signal: NodeJS.Signals, graceMs: number) =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill(signal);
    });

  await launch();
  return {
    name: options.name,
    output: () => tail,
    stop: async (graceMs = 15_000) => {
      if (child) await waitExit(child, 'SIGTERM', graceMs);
    },
    kill: async () => {
      if (child) await waitExit(child, 'SIGKILL', 0);
    },
    restart: async (extra) => {
      if (child && child.exitCode === null && child.signalCode === null)
        await waitExit(child, 'SIGTERM', 15_000);
      if (extra) env = { ...env, ...extra };
      // The old health port may have been handed to another test's process meanwhile; nothing
      // reads it back, so a restarted service simply takes a new one.
      if (env.HEALTH_PORT !== undefined && env.HEALTH_PORT !== '0' && extra?.HEALTH_PORT === undefined)
        env = { ...env, HEALTH_PORT: String(await freePort()) };
      await launch();
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    peakRss: () => readStatusBytes(child?.pid, 'VmHWM'),
    rss: () => readStatusBytes(child?.pid, 'VmRSS'),
  };
}

function readStatusBytes(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
