/**
 * The checkpoint of a fleet run: after each project's row is written, the id of that project
 * and the length of the output so far, replaced atomically (write, then rename). Projects come
 * in id order and rows are written in that order, so a resumed run lists the projects after
 * `lastId` (GitLab's `id_after`) and cuts the output back to `outputBytes`: a row written after
 * the last checkpoint is written again once, never twice, and no project is skipped.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

export interface Checkpoint {
  /** What the run is (command, group, shard, format...): a checkpoint of another run is refused. */
  readonly run: string;
  readonly lastId: number | undefined;
  readonly outputBytes: number;
  readonly rows: number;
  /** Command-specific state, e.g. rollout's canary phase. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly finished: boolean;
}

export async function readCheckpoint(path: string, run: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('bad-checkpoint', `checkpoint ${path} is not JSON`, { hint: 'Delete it to start the run from the beginning.' });
  }
  const checkpoint = parsed as Partial<Checkpoint>; // checked field by field below
  if (typeof parsed !== 'object' || parsed === null || typeof checkpoint.run !== 'string' || typeof checkpoint.outputBytes !== 'number' || typeof checkpoint.rows !== 'number') {
    throw new UsageError('bad-checkpoint', `checkpoint ${path} is not a policy-sidecar checkpoint`, { hint: 'Delete it to start the run from the beginning.' });
  }
  if (checkpoint.run !== run) {
    throw new UsageError('checkpoint-mismatch', `checkpoint ${path} belongs to another run (${checkpoint.run})`, {
      hint: 'Resume with the same command, group, shard and format, or use another --checkpoint file.',
    });
  }
  return {
    run: checkpoint.run,
    lastId: typeof checkpoint.lastId === 'number' ? checkpoint.lastId : undefined,
    outputBytes: checkpoint.outputBytes,
    rows: checkpoint.rows,
    extra: typeof checkpoint.extra === 'object' && checkpoint.extra !== null ? checkpoint.extra : {},
    finished: checkpoint.finished === true,
  };
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint)}\n`);
  await rename(temporary, path);
}
