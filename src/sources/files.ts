/**
 * Reading a project's files from a folder on disk, shared by the workspace source and the
 * checkout source: paths may not leave the folder (`..`, absolute paths, symbolic links), and a
 * listing is what git would list (files and symbolic links, no `.git/`), sorted.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { decodeUtf8 } from '../ci/decode-utf8.js';
import { SourceError } from '../errors.js';

/** Joins `path` under `base`, refusing anything that would land outside it. */
export function insideOrThrow(base: string, path: string, label: string): string {
  const target = resolve(base, path.replace(/^\/+/, ''));
  if (target !== base && !target.startsWith(base + sep)) {
    throw new SourceError('path-outside', `${label} is outside ${relative(process.cwd(), base) || '.'}`, {
      hint: 'Paths may not leave their project with .. or absolute paths.',
    });
  }
  return target;
}

/**
 * A regular file's text, undefined when it does not exist or is not a file. Bytes that are not
 * UTF-8 are an error naming `file` (how messages name it, e.g. `group/project:path`).
 */
export async function readRegularFile(target: string, base: string, file: string): Promise<string | undefined> {
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined) return undefined;
  const realBase = await realpath(base);
  // A symlink may not lead out of the project either.
  if (real !== realBase && !real.startsWith(realBase + sep)) {
    throw new SourceError('path-outside', `${target} links outside its project`, {});
  }
  const info = await stat(real);
  if (!info.isFile()) return undefined;
  return decodeUtf8(await readFile(real), file);
}

/** Every file below `dir` as a repository path, sorted; empty when `dir` does not exist. */
export async function listTree(dir: string): Promise<readonly string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    // Symbolic links are files to git (and so to rules:exists); reading one is checked separately.
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.startsWith('.git/'))
    .sort();
}
