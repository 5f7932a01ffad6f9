/**
 * The undo file of `rollout --apply`: one JSON line per project, appended *before* its setting
 * changes, so an interruption between the two leaves a line too many (harmless: undo restores
 * only where the project still holds the value rollout set), never one too few.
 */
import { createReadStream } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import type { UndoEntry } from './rollout-row.js';

export function appendUndoEntry(path: string, entry: UndoEntry): Promise<void> {
  // One write with O_APPEND per line: concurrent appends do not interleave within a line.
  return appendFile(path, `${JSON.stringify(entry)}\n`);
}

/** Ids of the projects an undo file names: a resumed rollout reports them as changed, not "already". */
export async function undoneIds(path: string): Promise<Set<number>> {
  const ids = new Set<number>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ids;
    throw error;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseEntry(line, path);
    ids.add(entry.id);
  }
  return ids;
}

/** The entries of an undo file with their line numbers, streamed, from after line `afterLine`. */
export async function* undoEntries(path: string, afterLine: number | undefined): AsyncGenerator<UndoEntry & { readonly line: number }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (afterLine !== undefined && line <= afterLine) continue;
    if (text.trim() === '') continue;
    yield { ...parseEntry(text, `${path}:${line}`), line };
  }
}

function parseEntry(text: string, where: string): UndoEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('bad-undo-file', `${where}: not a JSON line`, { hint: 'Pass the file rollout --apply --undo-file wrote.' });
  }
  const entry = value as Partial<UndoEntry> | null; // checked field by field below
  if (
    typeof value !== 'object' ||
    entry === null ||
    !Number.isInteger(entry.id) ||
    typeof entry.project !== 'string' ||
    !(entry.previous === null || typeof entry.previous === 'string') ||
    typeof entry.wanted !== 'string'
  ) {
    throw new UsageError('bad-undo-file', `${where}: not an undo entry`, { hint: 'Pass the file rollout --apply --undo-file wrote.' });
  }
  return { id: entry.id as number, project: entry.project, previous: entry.previous as string | null, wanted: entry.wanted };
}
