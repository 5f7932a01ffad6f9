/**
 * Vitest global setup: makes sure dist/ (the esbuild bundle, src/build/bundle-cli.ts) is built
 * from the current src/ before any test starts the CLI from it (built-cli.ts). `npm ci` and
 * `npm install` build dist/ already (`prepare`), so usually this only compares modification
 * times (a few milliseconds). When any source under src/ or a build input (tsconfig, lockfile)
 * is newer than the bundle, it runs `npm run build`'s bundling once, here, before the workers
 * start: no test ever sees a half-written dist/. esbuild does not check types (`npm run
 * typecheck` does), so a type error does not stop the tests, as under tsx.
 */
import { bundleCli } from '../../src/build/bundle-cli.js';
import { bundleStaleReason } from '../../src/build/bundle-freshness.js';
import { repoRoot } from './built-cli.js';

export default async function setup(): Promise<void> {
  const stale = await bundleStaleReason(repoRoot);
  if (stale === undefined) return;
  process.stderr.write(`test setup: building dist/ (${stale})\n`);
  await bundleCli(repoRoot);
}
