/**
 * Compiles what the engine runs into one JavaScript file each, so every process starts with plain
 * `node` (no TypeScript compiler at run time): each service's `src/main.ts` to
 * `services/<name>/dist/main.js`, and the one-shot jobs a deployment runs before the services.
 * The one place that knows the entry points.
 *
 * Run from the repository root it builds them all; run from a package folder (`pnpm build`, through
 * turbo) it builds that package's own.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type OutputFile } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BundleTarget {
  /** The package folder, relative to the repository root. */
  dir: string;
  /** The TypeScript entry, relative to `dir`. */
  entry: string;
  /** The output file, relative to `dir`. */
  out: string;
}

/** The deployment's one-shot jobs: the migration (before every service) and NATS provisioning. */
const jobs: BundleTarget[] = [
  { dir: 'packages/db', entry: 'scripts/migrate.ts', out: 'dist/migrate.js' },
  { dir: 'packages/messaging', entry: 'scripts/provision.ts', out: 'dist/provision.js' },
];

/**
 * Loaded by a dependency only for a database or a feature the engine does not use (knex's other
 * dialects, MikroORM's other drivers and tooling, pg's native binding): left out of the bundle,
 * never loaded at run time.
 */
const neverLoaded = [
  'pg-native',
  'pg-query-stream',
  'sqlite3',
  'better-sqlite3',
  'libsql',
  '@libsql/*',
  'mysql',
  'mysql2',
  'mariadb',
  'oracledb',
  'tedious',
  '@mikro-orm/better-sqlite',
  '@mikro-orm/libsql',
  '@mikro-orm/mariadb',
  '@mikro-orm/mongodb',
  '@mikro-orm/mssql',
  '@mikro-orm/mysql',
  '@mikro-orm/sqlite',
  '@mikro-orm/cli',
  '@mikro-orm/entity-generator',
  '@mikro-orm/migrations-mongodb',
  '@mikro-orm/reflection',
  '@mikro-orm/seeder',
  'ts-morph',
  'ts-node',
  '@swc/*',
];

/**
 * Files a service serves to browsers as they are, copied from their npm package into the bundle's
 * `assets/` folder (the image has no node_modules): the API reference page at `/docs`.
 */
const assets: Record<string, string[]> = {
  'services/api': ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui.css'],
};

function assetsOf(target: BundleTarget, root: string): { from: string; to: string }[] {
  const require = createRequire(join(root, target.dir, 'package.json'));
  return (assets[target.dir] ?? []).map((specifier) => ({
    from: require.resolve(specifier),
    to: join(root, target.dir, dirname(target.out), 'assets', basename(specifier)),
  }));
}

/** Every service under `services/` with a `src/main.ts`, then the jobs. */
export function bundleTargets(root = repoRoot): BundleTarget[] {
  const services = readdirSync(join(root, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'services', entry.name, 'src/main.ts')))
    .map((entry) => ({ dir: `services/${entry.name}`, entry: 'src/main.ts', out: 'dist/main.js' }));
  return [...services, ...jobs];
}

/**
 * Bundles each target: ESM for Node 20, the workspace packages and the third-party code in one file
 * (with the strict pnpm layout, a dependency of a workspace package is not resolvable from the
 * service's folder, and one file starts faster and holds less memory than many modules), with a
 * source map beside it. Files are replaced atomically and only when their content changed, so a
 * process starting meanwhile, or a second build running at the same time, never reads half a file.
 */
export async function bundle(targets: BundleTarget[], root = repoRoot): Promise<void> {
  await bundleAll(
    targets.filter((target) => !upToDate(target, root)),
    root,
  );
}

/** Lockfile and this script: a change to either can change every bundle. */
const buildInputs = ['pnpm-lock.yaml', 'deploy/build/bundle.ts'];

/** The files a bundle was made from and when, kept beside it to skip a build that would change nothing. */
interface BuildRecord {
  builtAt: number;
  inputs: string[];
}

function recordPath(target: BundleTarget, root: string): string {
  return join(root, target.dir, dirname(target.out), '.inputs.json');
}

function upToDate(target: BundleTarget, root: string): boolean {
  const record = recordPath(target, root);
  if (!existsSync(join(root, target.dir, target.out)) || !existsSync(record)) return false;
  if (!assetsOf(target, root).every((asset) => existsSync(asset.to))) return false;
  const { builtAt, inputs } = JSON.parse(readFileSync(record, 'utf8')) as BuildRecord;
  return [...inputs, ...buildInputs].every((input) => {
    const path = join(root, input);
    return existsSync(path) && statSync(path).mtimeMs < builtAt;
  });
}

/** One esbuild run for all stale targets: each module is parsed once, however many bundles hold it. */
async function bundleAll(targets: BundleTarget[], root: string): Promise<void> {
  if (targets.length === 0) return;
  // Taken before reading any source: a file saved during the build makes the next run build again.
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: targets.map((target) => ({
      in: join(target.dir, target.entry),
      out: join(target.dir, target.out.replace(/\.js$/, '')),
    })),
    outdir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // MikroORM and error handling read class names; a bundle must not rename them.
    keepNames: true,
    external: neverLoaded,
    // Bundled CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
    metafile: true,
    write: false,
  });
  for (const file of result.outputFiles) writeIfChanged(file);
  for (const target of targets) {
    const out = join(target.dir, target.out);
    const inputs = Object.keys(result.metafile.outputs[out]?.inputs ?? {});
    if (inputs.length === 0) throw new Error(`esbuild wrote no ${out}`);
    const record: BuildRecord = { builtAt: startedAt, inputs };
    // `"type": "module"` beside the bundle, so `dist/` runs on its own (the image copies only it).
    writeIfChanged({ path: join(root, out, '../package.json'), text: '{ "type": "module" }\n' });
    for (const asset of assetsOf(target, root))
      writeIfChanged({ path: asset.to, text: readFileSync(asset.from, 'utf8') });
    writeIfChanged({ path: recordPath(target, root), text: `${JSON.stringify(record)}\n` });
  }
}

function writeIfChanged(file: Pick<OutputFile, 'path' | 'text'>): void {
  if (existsSync(file.path) && readFileSync(file.path, 'utf8') === file.text) return;
  mkdirSync(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temp, file.text);
  renameSync(temp, file.path);
}

/** The targets of the package folder `cwd`, or every target from the repository root. */
export function targetsFor(cwd: string, root = repoRoot): BundleTarget[] {
  const all = bundleTargets(root);
  const dir = relative(root, resolve(cwd));
  if (dir === '') return all;
  const own = all.filter((target) => target.dir === dir);
  if (own.length === 0) throw new Error(`nothing to bundle in ${dir} (${basename(dir)} has no entry point)`);
  return own;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(targetsFor(process.cwd()));
}
