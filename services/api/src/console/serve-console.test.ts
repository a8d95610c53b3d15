import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let root: string;
let dir: string;
let app: ApiApp;
const page =
  '<!doctype html><title>Pricebook console</title><script type="module" src="./assets/app-1a2b.js"></script>';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pb-console-'));
  dir = join(root, 'dist');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(root, 'secret.json'), '{"secret":"outside-the-build"}');
  await writeFile(join(dir, 'index.html'), page);
  await writeFile(join(dir, 'assets', 'app-1a2b.js'), 'console.log("ok");');
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = h.app({ config: { consoleDir: dir } });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('GET /admin', () => {
  it('redirects /admin to /admin/ so relative asset URLs resolve', async () => {
    const res = await app.request('/admin');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/admin/');
  });

  it.each(['/admin/', '/admin/conflicts', '/admin/conflicts/6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a'])(
    '%s serves index.html, checked again on each load, under a same-origin CSP',
    async (path) => {
      const res = await call(app, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toBe(page);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    },
  );

  it('serves hashed assets as immutable, other files as revalidated, with their types', async () => {
    const js = await call(app, 'GET', '/admin/assets/app-1a2b.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log("ok");');
    const svg = await call(app, 'GET', '/admin/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers HEAD like GET, without the body', async () => {
    const res = await app.request('/admin/assets/app-1a2b.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('is public: no key needed', async () => {
    expect((await call(app, 'GET', '/admin/')).status).toBe(200);
  });
});

describe('GET /admin errors', () => {
  it('a missing file with an extension → 404 problem, not the page', async () => {
    const res = await call(app, 'GET', '/admin/assets/missing-9z.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    '/admin/../secret.json',
    '/admin/%2e%2e/secret.json',
    '/admin/assets/%2e%2e%2f%2e%2e%2fsecret.json',
    '/admin/..%2fsecret.json',
    '/admin/%E0%A4%A.json',
  ])('%s never leaves the build folder', async (path) => {
    const res = await call(app, 'GET', path);
    expect(JSON.stringify(res.body)).not.toContain('outside-the-build');
    expect(res.status).toBe(404);
  });

  it('other methods are not served', async () => {
    expect((await call(app, 'POST', '/admin/')).status).toBe(404);
  });

  it('a console that is not built → 503 saying how to build it', async () => {
    const unbuilt = h.app({ config: { consoleDir: join(dir, 'nowhere') } });
    const res = await call(unbuilt, 'GET', '/admin/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'unavailable',
      detail: 'the console is not built: run pnpm --filter @pricebook/console build',
    });
  });
});
