import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';

export type { BrowserContext, Page };

// Nothing may download a browser: the tests drive the system's Chromium (Debian's `chromium`).
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

/** Debian's Chromium, installed by `deploy/local/ensure-tools.sh`; `CHROMIUM_PATH` points elsewhere. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and quiet: no sandbox (root in CI), no GPU, and no network of its own (updates, sync, QUIC). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A fresh Chromium (its own user-data dir, removed on close) at a laptop's viewport.
 *
 * @example
 * const browser = await launchBrowser();
 * const page = await browser.context.newPage();
 */
export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: run deploy/local/ensure-tools.sh (apt-get install chromium)`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'pb-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A browser console message, with where it came from. */
export interface ConsoleEntry {
  type: string;
  text: string;
  url: string;
}

/**
 * Records every console error and uncaught exception of `page`, except the ones `expected` says
 * are the page working as designed (e.g. a 401 that means "signed out").
 *
 * @example
 * const errors = watchConsole(page);
 * // … drive the page …
 * expect(errors).toEqual([]);
 */
export function watchConsole(
  page: Page,
  expected: (entry: ConsoleEntry) => boolean = () => false,
): ConsoleEntry[] {
  const errors: ConsoleEntry[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const entry = { type: message.type(), text: message.text(), url: message.location().url };
    if (!expected(entry)) errors.push(entry);
  });
  page.on('pageerror', (error) => errors.push({ type: 'pageerror', text: error.message, url: page.url() }));
  return errors;
}

/** An axe violation reduced to what a failure message needs. */
export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * The serious and critical WCAG 2.0/2.1 A and AA violations axe finds on the page as it is now.
 *
 * @example
 * expect(await accessibilityViolations(page)).toEqual([]);
 */
export async function accessibilityViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}
