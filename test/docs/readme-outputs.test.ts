/**
 * The outputs README.md shows are the outputs the CLI gives. Each checked block is an output
 * fence preceded by a marker line:
 *
 *   <!-- readme-output: explain --workspace examples/workspace ... -->      (standard output)
 *   <!-- readme-output stderr: compose ... --summary -->                   (standard error)
 *
 * The command runs in-process from the repository root. Shown lines must appear in the output in
 * order and next to each other; a line `...` stands for any number of lines left out. When
 * outputs change on purpose, run `UPDATE_README_OUTPUTS=1 npx vitest run test/docs` to write the
 * full new outputs into README.md, then trim them again with `...` and review the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/temp-workspace.js';

const repoRoot = join(import.meta.dirname, '../..');
const readmePath = join(repoRoot, 'README.md');
const update = process.env['UPDATE_README_OUTPUTS'] === '1';

interface ShownBlock {
  readonly stream: 'stdout' | 'stderr';
  readonly argv: readonly string[];
  /** Line index of the opening fence and of the closing fence. */
  readonly open: number;
  readonly close: number;
  readonly shown: readonly string[];
}

function shownBlocks(lines: readonly string[]): ShownBlock[] {
  const blocks: ShownBlock[] = [];
  lines.forEach((line, index) => {
    const marker = /^<!-- readme-output( stderr)?: (.+) -->$/.exec(line);
    if (marker === null) return;
    const open = index + 1;
    if (lines[open] !== '```') throw new Error(`README.md:${index + 1}: a readme-output marker must be followed by a \`\`\` fence`);
    const close = lines.indexOf('```', open + 1);
    blocks.push({ stream: marker[1] === undefined ? 'stdout' : 'stderr', argv: (marker[2] ?? '').split(/\s+/), open, close, shown: lines.slice(open + 1, close) });
  });
  return blocks;
}

/** The shown lines, with `...` for any run of lines, appear in `actual` in order. */
export function matchesShown(shown: readonly string[], actual: readonly string[]): boolean {
  const match = (s: number, a: number): boolean => {
    if (s === shown.length) return true;
    if (shown[s] === '...') {
      for (let next = a; next <= actual.length; next += 1) if (match(s + 1, next)) return true;
      return false;
    }
    return a < actual.length && actual[a] === shown[s] && match(s + 1, a + 1);
  };
  // The first shown line may start anywhere: the block shows an excerpt.
  return actual.some((_, start) => match(0, start)) || (shown.length === 0);
}

const readme = readFileSync(readmePath, 'utf8');
const blocks = shownBlocks(readme.split('\n'));

describe('README.md shows real outputs', () => {
  it('has checked blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it('matchesShown: order, adjacency and `...`', () => {
    expect(matchesShown(['a', '...', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matchesShown(['a', 'c'], ['a', 'b', 'c'])).toBe(false);
    expect(matchesShown(['b', 'a'], ['a', 'b'])).toBe(false);
  });

  it.each(blocks.map((block) => [block.argv.join(' '), block] as const))('%s', async (_, block) => {
    const run = await runInProcess(block.argv, repoRoot);
    const actual = run[block.stream].replace(/\n$/, '').split('\n');
    if (update && !matchesShown(block.shown, actual)) {
      const lines = readFileSync(readmePath, 'utf8').split('\n');
      const current = shownBlocks(lines).find((candidate) => candidate.argv.join(' ') === block.argv.join(' '));
      if (current !== undefined) {
        lines.splice(current.open + 1, current.close - current.open - 1, ...actual);
        writeFileSync(readmePath, lines.join('\n'));
      }
      return;
    }
    expect(matchesShown(block.shown, actual), `README block for ${block.argv.join(' ')} differs from the output:\n${actual.join('\n')}`).toBe(true);
  });
});
