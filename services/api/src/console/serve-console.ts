import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@pricebook/errors';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';

/** Where the console is served, and the base its client routes live under. */
export const consolePath = '/admin';

/**
 * The console's build, beside this service in the repository (`services/console/dist`), whether
 * this file runs from its source (`services/api/src/console/`) or from the API's bundle
 * (`services/api/dist/main.js`).
 */
export const defaultConsoleDir = fileURLToPath(
  new URL(
    import.meta.url.includes('/api/dist/') ? '../../console/dist' : '../../../console/dist',
    import.meta.url,
  ),
);

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Everything the console needs comes from this origin; it talks only to this API. Nothing loads
 * from elsewhere, and no other site may frame it.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every built asset by its content hash: it never changes, so browsers keep it. */
const immutable = 'public, max-age=31536000, immutable';
/** The page names the current assets: browsers check it again on every load. */
const revalidate = 'no-cache';

async function readIfFile(path: string): Promise<Buffer | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? readFile(path) : undefined;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new AppError('not_found', 'no such file');
  }
}

/**
 * Serves the built console at `/admin` (GET and HEAD): its files as they are, and `index.html`
 * for any other path without a file extension, so the console's own routes survive a reload.
 * A missing file with an extension is a 404; a console that was never built is a 503 that says how
 * to build it. Public: the console signs in through `POST /api/session`.
 *
 * @example
 * app.use('/admin', serveConsole(dir));
 * app.use('/admin/*', serveConsole(dir));
 */
export function serveConsole(dir: string = defaultConsoleDir): MiddlewareHandler<AppEnv> {
  const root = resolve(dir);
  return async (c, next) => {
    // Hono routes a HEAD as a GET and drops the body itself.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    // `/admin` alone: the relative asset URLs of index.html need the trailing slash.
    if (c.req.path === consolePath) return c.redirect(`${consolePath}/`, 308);
    const index = await readIfFile(resolve(root, 'index.html'));
    if (!index) {
      throw new AppError(
        'unavailable',
        'the console is not built: run pnpm --filter @pricebook/console build',
        { retry: false },
      );
    }
    const relative = decodePath(c.req.path.slice(consolePath.length + 1));
    const file = resolve(root, relative);
    // Never outside the build folder, whatever the path says (`..`, encoded slashes).
    if (file !== root && !file.startsWith(root + sep)) throw new AppError('not_found', 'no such file');
    c.header('Content-Security-Policy', contentSecurityPolicy);
    c.header('X-Content-Type-Options', 'nosniff');
    const ext = extname(relative);
    const body = ext && ext !== '.html' ? await readIfFile(file) : undefined;
    if (ext && ext !== '.html' && !body) throw new AppError('not_found', `no console file ${relative}`);
    if (body) {
      c.header('Content-Type', types[ext] ?? 'application/octet-stream');
      c.header('Cache-Control', relative.startsWith('assets/') ? immutable : revalidate);
      return c.body(new Uint8Array(body), 200);
    }
    c.header('Content-Type', types['.html'] ?? 'text/html');
    c.header('Cache-Control', revalidate);
    return c.body(new Uint8Array(index), 200);
  };
}
