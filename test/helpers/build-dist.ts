/**
 * Vitest global setup: makes sure dist/ is built from the current src/ before any test starts
 * the CLI from it (built-cli.ts). `npm ci` and `npm install` build dist/ already (`prepare`), so
 * usually this only compares modification times (a few milliseconds). When any source under src/
 * is newer than its compiled file, or a build input (tsconfig, lockfile) is newer than the
 * build, it runs `npm run build`'s two steps once, here, before the workers start: no test ever
 * sees a half-written dist/.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { cliEntry, repoRoot } from './built-cli.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** Files every output depends on: compiler settings, and ajv's version for the generated validators. */
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

export default async function setup(): Promise<void> {
  const stale = await staleReason();
  if (stale === undefined) return;
  process.stderr.write(`test setup: building dist/ (${stale})\n`);
  const tsc = require.resolve('typescript/bin/tsc');
  // tsc writes its output even when a type is wrong, as tsx runs code with wrong types; the
  // types are checked by `npm run typecheck`, so a type error here does not stop the tests.
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
    const output = typeof error === 'object' && error !== null && 'stdout' in error ? String(error.stdout) : String(error);
    process.stderr.write(`test setup: tsc reported errors (dist/ still written):\n${output}\n`);
  });
  await run(process.execPath, [join(repoRoot, 'dist/build/compile-validators.js')], { cwd: repoRoot });
}

/** Why dist/ must be rebuilt, or undefined when every compiled file is newer than its source. */
async function staleReason(): Promise<string | undefined> {
  const built = await modified(cliEntry);
  if (built === undefined) return 'dist/cli/main.js is missing';
  for (const input of BUILD_INPUTS) {
    if (((await modified(join(repoRoot, input))) ?? 0) > built) return `${input} changed`;
  }
  const src = join(repoRoot, 'src');
  for (const entry of await readdir(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const source = join(entry.parentPath, entry.name);
    const output = join(repoRoot, 'dist', relative(src, source).replace(/\.ts$/, '.js'));
    const compiled = await modified(output);
    if (compiled === undefined || compiled < ((await modified(source)) ?? 0)) return `src/${relative(src, source)} changed`;
  }
  return undefined;
}

async function modified(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}
