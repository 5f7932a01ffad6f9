/** V8 tuning only for the short commands (src/cli/short-run.ts), never for long-running ones. */
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_V8_FLAGS, tuneForShortRun } from '../../src/cli/short-run.js';

function flagsFor(argv: readonly string[]): string[] {
  const set: string[] = [];
  tuneForShortRun(argv, (flags) => set.push(flags));
  return set;
}

describe('tuneForShortRun', () => {
  it('raises the interrupt budget for compose, explain and evaluate', () => {
    expect(flagsFor(['compose', '--workspace', '.'])).toEqual([SHORT_RUN_V8_FLAGS]);
    expect(flagsFor(['explain'])).toEqual([SHORT_RUN_V8_FLAGS]);
    expect(flagsFor(['evaluate', '--workspace', '.'])).toEqual([SHORT_RUN_V8_FLAGS]);
    expect(SHORT_RUN_V8_FLAGS).toMatch(/^--interrupt-budget=\d+$/);
  });

  it('leaves V8 alone for long-running commands, help and version', () => {
    for (const argv of [['serve'], ['sync'], ['audit'], ['--version'], ['--help', 'compose'], []]) expect(flagsFor(argv)).toEqual([]);
  });
});
