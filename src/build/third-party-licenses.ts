/**
 * The bundle carries copies of other packages' code (yaml, gitbeaker, undici...), which the
 * package no longer installs as dependencies; their licences (MIT, ISC, BSD, CC0) ask that copies
 * keep the copyright and licence text. This writes them all into one file next to the bundle,
 * from the packages esbuild actually bundled (its metafiles' inputs), so the list cannot drift.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `node_modules/<name>` or `node_modules/@scope/<name>`, the innermost one of an input path. */
const PACKAGE_DIR = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\/(?!.*node_modules\/)/;

/** The package an esbuild input path (relative to the root) belongs to, the innermost when nested; undefined for our own sources. */
export function bundledPackageOf(input: string): { readonly name: string; readonly dir: string } | undefined {
  const match = PACKAGE_DIR.exec(input);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { name: match[2], dir: match[1] };
}
const LICENSE_FILE = /^(licen[cs]e|copying)(\b|[-.])/i;

/** Writes `outFile` from the bundled `inputs` (paths relative to `root`); returns the packages named. */
export async function writeThirdPartyLicenses(root: string, inputs: Iterable<string>, outFile: string): Promise<string[]> {
  const packages = new Map<string, string>();
  for (const input of inputs) {
    const bundled = bundledPackageOf(input);
    if (bundled !== undefined) packages.set(bundled.name, bundled.dir);
  }
  const sections: string[] = [];
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8')) as { version?: string; license?: string };
    const entries = await readdir(join(root, dir), { withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile() && LICENSE_FILE.test(entry.name)).map((entry) => entry.name).sort();
    const texts = await Promise.all(files.map((file) => readFile(join(root, dir, file), 'utf8')));
    if (texts.length === 0) throw new Error(`${name} is bundled but ships no licence file: add its licence text before bundling it`);
    sections.push(`== ${name} ${manifest.version ?? ''} (${manifest.license ?? 'see below'}) ==\n\n${texts.map((text) => text.trim()).join('\n\n')}\n`);
  }
  await writeFile(join(root, outFile), `policy-sidecar's bundle (dist/) includes code from these packages, under these licences.\n\n${sections.join('\n')}`);
  return [...packages.keys()].sort();
}
