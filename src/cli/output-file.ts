/**
 * Writing an output the user named (--out, --report, --junit). A path the system refuses is a
 * usage problem with that path, not a bug: the message names the flag and the path.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its folder is a file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

export async function writeOutputFile(io: CliIo, flag: string, path: string, text: string): Promise<void> {
  const target = resolve(io.cwd, path);
  try {
    await writeFile(target, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = code === undefined ? undefined : REASONS[code];
    if (reason === undefined) throw error;
    const folder = isAbsolute(path) ? dirname(target) : relative(io.cwd, dirname(target)) || '.';
    throw new UsageError('output-path', `cannot write --${flag} ${path}: ${reason}`, {
      cause: error,
      hint: code === 'ENOENT' ? `Create the folder ${folder} first, or choose another path.` : 'Choose another path.',
    });
  }
}
