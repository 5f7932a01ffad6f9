/**
 * Whether dist/ is older than what it is built from: any source under src/, or a build input
 * (compiler settings, the lockfile: ajv's and esbuild's versions, which packages exist). The
 * bundle is one build of everything, so one date stands for it: that of its entry point, which
 * bundle-cli.ts writes after the validators. Used by `npm start` (prestart) and the test suite's
 * global setup to rebuild only when needed; reading dates takes a few milliseconds.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

const BUILD_INPUTS = ['tsconfig.json', 'package.json', 'package-lock.json'];
const ENTRY = 'dist/cli/main.js';

/** Why dist/ under `root` must be rebuilt, or undefined when it is newer than all it is built from. */
export async function bundleStaleReason(root: string): Promise<string | undefined> {
  const built = await modified(join(root, ENTRY));
  if (built === undefined) return `${ENTRY} is missing`;
  for (const input of BUILD_INPUTS) {
    if (((await modified(join(root, input))) ?? 0) > built) return `${input} changed`;
  }
  const src = join(root, 'src');
  for (const entry of await readdir(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = join(entry.parentPath, entry.name);
    if (((await modified(source)) ?? 0) > built) return `src/${relative(src, source)} changed`;
  }
  return undefined;
}

async function modified(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}
