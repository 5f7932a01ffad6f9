/**
 * How tests start policy-sidecar as a process: the bundle in dist/, which is what the package
 * ships (`bin` is dist/cli/main.js, the bundle's entry; src/build/bundle-cli.ts). Starting it
 * costs a fraction of the same command through tsx on src/ (tsx's loader hooks on every module),
 * and the suite starts the CLI a few hundred times. The vitest global setup (build-dist.ts)
 * rebuilds dist/ before any test runs whenever a source is newer than the bundle, so dist/
 * always matches src/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI's entry point; run it as `node <cliEntry> ...args`, from any working folder. */
export const cliEntry = join(repoRoot, 'dist/cli/main.js');

/** The GitHub Action's entry point (the Dockerfile's github-action stage runs it the same way). */
export const actionEntry = join(repoRoot, 'dist/github/action.js');
