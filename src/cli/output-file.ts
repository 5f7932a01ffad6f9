/**
 * Writing an output the user named (--out, --pre-out, --report, --junit). `-` is standard output,
 * as for most CLIs, never a file named `-`. A path the system refuses is a usage problem with that
 * path, not a bug: the message names the flag and the path.
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

/** The value of an output flag that means standard output. */
export const STANDARD_OUTPUT = '-';

/**
 * Refuses, before any work, two outputs that would both go to standard output: their texts would
 * be interleaved into one stream that no reader can split. `outputs` are the flags that may be
 * `-`; `alreadyUsedBy` names what the command itself prints there, if anything.
 */
export function checkStandardOutput(outputs: Readonly<Record<string, string | undefined>>, alreadyUsedBy?: string): void {
  const claims = Object.entries(outputs).flatMap(([flag, value]) => (value === STANDARD_OUTPUT ? [`--${flag} -`] : []));
  const users = [...(alreadyUsedBy === undefined ? [] : [alreadyUsedBy]), ...claims];
  if (users.length > 1) {
    throw new UsageError('output-stdout-taken', `${users.join(' and ')} cannot both go to standard output`, {
      hint: `Name a file for ${claims.length > 1 || alreadyUsedBy === undefined ? 'all of them but one' : claims.join(' and ')}.`,
    });
  }
}

/** A file the command appends to or reads back (undo file, checkpoint): `-` is refused, not created. */
export function requireFilePath(flag: string, path: string | undefined): string | undefined {
  if (path === STANDARD_OUTPUT) {
    throw new UsageError('output-path', `--${flag} needs a file: \`-\` (standard output) cannot be read back`, { hint: `Name a file for --${flag}.` });
  }
  return path;
}

export async function writeOutputFile(io: CliIo, flag: string, path: string, text: string): Promise<void> {
  // Only reached for `-` when checkStandardOutput let this output have standard output.
  if (path === STANDARD_OUTPUT) {
    io.stdout.write(text);
    return;
  }
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
