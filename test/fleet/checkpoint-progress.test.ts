/** Checkpoint files (another run's is refused; a finished one starts over) and progress lines. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../src/fleet/checkpoint.js';
import { createProgress } from '../../src/fleet/progress.js';

describe('checkpoint', () => {
  it('round-trips, and refuses the checkpoint of another run with a code', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'checkpoint-')), 'run.checkpoint');
    await writeCheckpoint(path, { run: 'audit acme x shard 1/2 jsonl', lastId: 42, outputBytes: 100, rows: 3, finished: false });
    expect(await readCheckpoint(path, 'audit acme x shard 1/2 jsonl')).toMatchObject({ lastId: 42, outputBytes: 100, rows: 3, finished: false });
    await expect(readCheckpoint(path, 'audit acme x shard 2/2 jsonl')).rejects.toMatchObject({ code: 'checkpoint-mismatch' });
  });

  it('a missing file is no checkpoint; a file that is not one is refused', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'checkpoint-'));
    expect(await readCheckpoint(join(folder, 'none'), 'run')).toBeUndefined();
    await writeFile(join(folder, 'bad'), '{"run": 3}');
    await expect(readCheckpoint(join(folder, 'bad'), 'run')).rejects.toMatchObject({ code: 'bad-checkpoint' });
  });
});

describe('progress', () => {
  it('without a terminal: a plain line every N projects and a last line', () => {
    const lines: string[] = [];
    const progress = createProgress('audit', { write: (text) => lines.push(text), isTTY: false }, 2);
    for (let done = 1; done <= 5; done += 1) progress.tick({ drift: done });
    progress.stop({ drift: 5 }, true);
    expect(lines).toEqual(['audit: 2 projects, 2 drift\n', 'audit: 4 projects, 4 drift\n', 'audit: done, 5 projects this run, 5 drift\n']);
  });
});
