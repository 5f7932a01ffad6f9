/**
 * Files the package ships next to its code (package.json, templates/, the generated validators),
 * found from the package's root. This module runs from src/cli/ (tests, tsx) or from one of the
 * bundle's files, which are all exactly two folders below the root: dist/cli/main.js,
 * dist/github/action.js and dist/chunks/*.js (src/build/bundle-cli.ts refuses to write any other
 * layout). So `../../` of this module's URL is the root in both, whichever file it lands in.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);

/** Absolute path of `relativePath` (`/`-separated, e.g. `templates/scans/`) under the package root. */
export function packageFile(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, ROOT));
}

/** package.json's version. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
