/** V8 tuning only for the short commands (src/cli/short-run.ts), never for long-running ones. */
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_V8_FLAGS, tuneForShortRun } from '../../src/cli/short-run.js';

function flagsFor(argv: readonly string[]): string[] {
  const set: string[] = [];
  tuneForShortRun(argv, (flags) => set.push(flags));
  return set;
}

describe('tuneForShortRun', () => {
  it('raises the JavaScript and WebAssembly tiering budgets for compose, explain, evaluate and the store questions', () => {
    for (const argv of [['compose', '--workspace', '.'], ['explain'], ['evaluate', '--workspace', '.'], ['policies', 'list'], ['projects', 'show', 'a/b'], ['coverage'], ['findings', 'dismiss']]) {
      expect(flagsFor(argv)).toEqual([SHORT_RUN_V8_FLAGS]);
    }
    expect(SHORT_RUN_V8_FLAGS).toMatch(/^--interrupt-budget=\d+ --wasm-tiering-budget=\d+$/);
  });

  it('leaves V8 alone for long-running commands, help and version', () => {
    for (const argv of [['serve'], ['sync'], ['audit'], ['rollout'], ['verify'], ['--version'], ['--help', 'compose'], []]) expect(flagsFor(argv)).toEqual([]);
  });
});
