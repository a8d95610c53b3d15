import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '@pricebook/testing';
import { accessibilityViolations, type Page } from '@pricebook/testing/browser';
import { expect } from 'vitest';

const consoleDir = fileURLToPath(new URL('..', import.meta.url));
const imagesDir = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

async function newest(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newest(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Builds the console unless `dist` is newer than its sources: the API serves `dist`, and a stale
 * build would test yesterday's console.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const built = await stat(join(consoleDir, 'dist', 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(
    await newest(join(consoleDir, 'src')),
    await newest(join(consoleDir, 'index.html')),
    await newest(join(consoleDir, 'vite.config.ts')),
  );
  if (built > sources) return;
  const { build } = await import('vite');
  await build({ root: consoleDir, logLevel: 'warn' });
}

/** One API request with the stack's admin key, as an integrator's script would make it. */
export async function api<T = Record<string, unknown>>(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.api.key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Runs a sync through the API and waits for its end. */
export async function syncNow(stack: Stack, kind: 'full' | 'incremental', options: Record<string, unknown>) {
  const res = await api<{ status: string }>(stack, 'POST', `/api/sync/pricebook/${kind}?wait=true`, options);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Waits until the page has no loading note left. */
export async function settled(page: Page): Promise<void> {
  await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 30_000 });
}

/**
 * Checks the page as it is now: no serious or critical axe violation; and with
 * `CONSOLE_SCREENSHOTS=1`, saves its screenshot as `docs/images/console-<name>.png`.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await settled(page);
  expect(await accessibilityViolations(page), `axe on ${name}`).toEqual([]);
  if (process.env.CONSOLE_SCREENSHOTS === '1') {
    await mkdir(imagesDir, { recursive: true });
    await page.screenshot({ path: join(imagesDir, `console-${name}.png`), fullPage: true });
  }
}
