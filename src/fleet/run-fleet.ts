/**
 * The loop every fleet command runs: stream the group's projects (id order) or an undo file's
 * entries (line order), keep this shard's,
 * work on up to `concurrency` at once (p-map's pMapIterable: bounded, with backpressure, results
 * in input order), write each row as it comes, checkpoint after each row. Memory holds at most
 * `concurrency` projects in flight plus the one listing page being read, whatever the fleet size.
 * A failure that is not the project's own (GitLab down after retries, the token revoked) stops
 * the run with the checkpoint at the last row written; the same command resumes it.
 */
import { pMapIterable } from 'p-map';
import { isSidecarError, SourceError, UsageError } from '../errors.js';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { openFileSink, streamSink, type RowSink } from './output-file.js';
import type { RowFormat } from './output/row-format.js';
import type { Progress } from './progress.js';
import { inShard, type Shard } from './shard.js';

export interface FleetRun<T extends { readonly id: number }, R> {
  /** Identity of the run, kept in the checkpoint: a checkpoint of another run is refused. */
  readonly run: string;
  readonly checkpointPath: string | undefined;
  readonly outPath: string | undefined;
  readonly stdout: { write(text: string): void };
  readonly format: RowFormat<R>;
  /** The items after `position` (a checkpoint's), in position order. */
  readonly projects: (position: number | undefined) => AsyncIterable<T>;
  /** The position of a row's item: its project id for a group listing, its line in an undo file. */
  readonly positionOf: (row: R) => number;
  readonly shard: Shard;
  readonly concurrency: number;
  readonly work: (item: T) => Promise<R>;
  /** Names of the counters a row adds one to (e.g. `not enforced`, `drift`). */
  readonly countsOf: (row: R) => readonly string[];
  readonly progress: Progress;
  /** Called once before the first project, with what a resumed checkpoint carried. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface FleetResult {
  /** Rows of the whole run, resumed parts included. */
  readonly rows: number;
  readonly counts: Readonly<Record<string, number>>;
}

export async function runFleet<T extends { readonly id: number }, R>(run: FleetRun<T, R>): Promise<FleetResult> {
  if (run.checkpointPath !== undefined && run.outPath === undefined) {
    throw new UsageError('missing-option', '--checkpoint needs --out FILE', { hint: 'A resumed run appends to the output file; standard output cannot be resumed.' });
  }
  const previous = run.checkpointPath === undefined ? undefined : await readCheckpoint(run.checkpointPath, run.run);
  // A finished checkpoint is a run that completed: the same command starts a new one.
  const resumed = previous !== undefined && !previous.finished ? previous : undefined;
  const sink: RowSink = run.outPath === undefined ? streamSink(run.stdout) : await openFileSink(run.outPath, resumed?.outputBytes);
  const counts: Record<string, number> = { ...countsIn(resumed) };
  let rows = resumed?.rows ?? 0;
  let lastId = resumed?.lastId;
  const save = async (finished: boolean): Promise<void> => {
    if (run.checkpointPath === undefined) return;
    const checkpoint: Checkpoint = { run: run.run, lastId, outputBytes: sink.bytes, rows, extra: { ...run.extra, counts }, finished };
    await writeCheckpoint(run.checkpointPath, checkpoint);
  };
  let finished = false;
  try {
    if (resumed === undefined) await sink.write(run.format.start);
    const mine = failureAsItem(thisShard(run.projects(lastId), run.shard));
    const work = (entry: Pulled<T>): Promise<R> => ('failure' in entry ? Promise.reject(entry.failure) : run.work(entry.item));
    for await (const row of pMapIterable(mine, work, { concurrency: run.concurrency, backpressure: run.concurrency })) {
      await sink.write(run.format.row(row));
      rows += 1;
      lastId = run.positionOf(row);
      for (const name of run.countsOf(row)) counts[name] = (counts[name] ?? 0) + 1;
      run.progress.tick(counts);
      await save(false);
    }
    await sink.write(run.format.end(rows));
    await save(true);
    finished = true;
  } catch (error) {
    throw interrupted(error, rows, run.checkpointPath);
  } finally {
    run.progress.stop(counts, finished);
    await sink.close();
  }
  return { rows, counts };
}

type Pulled<T> = { readonly item: T } | { readonly failure: unknown };

/**
 * The listing's failure (GitLab down while reading the next page or batch) as one more item, so it
 * reaches the caller in order, after the rows before it. p-map 7.0.3's pMapIterable does not
 * catch a rejected `next()` of its input: while an earlier project is still being worked on,
 * nothing awaits that rejection and Node ends the process on it (exit 1, a stack trace) instead
 * of the run stopping with exit 3 and a checkpoint. Which one happened depended on timing.
 */
async function* failureAsItem<T>(items: AsyncIterable<T>): AsyncGenerator<Pulled<T>> {
  try {
    for await (const item of items) yield { item };
  } catch (error) {
    yield { failure: error };
  }
}

async function* thisShard<T extends { readonly id: number }>(items: AsyncIterable<T>, shard: Shard): AsyncGenerator<T> {
  for await (const item of items) if (inShard(item.id, shard)) yield item;
}

function countsIn(checkpoint: Checkpoint | undefined): Record<string, number> {
  const saved = checkpoint?.extra?.['counts'];
  if (typeof saved !== 'object' || saved === null) return {};
  return Object.fromEntries(Object.entries(saved).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

function interrupted(error: unknown, rows: number, checkpointPath: string | undefined): unknown {
  if (!isSidecarError(error) || error.kind !== 'source') return error;
  const resume =
    checkpointPath === undefined
      ? 'Run it again; with --checkpoint FILE --out FILE a run resumes where it stopped.'
      : `Run the same command again: it resumes from ${checkpointPath} after the last project written.`;
  return new SourceError(error.code, `${error.message} (the run stopped after ${rows} projects)`, {
    hint: `${error.hint ?? ''} ${resume}`.trim(),
    cause: error,
  });
}
