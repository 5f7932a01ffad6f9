/**
 * V8 tuning for the commands every pipeline runs. `compose` (and `explain`, the same work) lasts
 * about a second, and in a process that short V8's optimising compiler costs more CPU than it
 * saves: on the 500-job bench a third of the process's CPU went to TurboFan compiling functions
 * that ran only a few more times (callgrind). A larger interrupt budget makes V8 wait longer
 * before it optimises a function, so only code that stays hot is compiled: the bench's compose
 * takes about 30% less CPU, and a 5,000-job compose is no slower (docs/performance.md). The same
 * for `evaluate` (about half a second on 13,000 findings a side), with a budget half as large:
 * its hot loops (mapping 26,000 findings, the sort) pay for being optimised sooner; 1,000,000
 * gave about 4% fewer instructions than V8's default, 500,000 another 2.5% (callgrind, three
 * runs each: 3,504 M against 3,593 M on average); 250,000 gave 3,549 M and 100,000 3,724 M.
 * Long-running commands (serve, sync, audit...) keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';

/** 15× V8's default of 67,584 (bytecode budget before a function is considered for optimisation). */
export const SHORT_RUN_V8_FLAGS = '--interrupt-budget=1000000';

/** 7.5× V8's default: measured on `evaluate`'s bench (above). */
export const EVALUATE_V8_FLAGS = '--interrupt-budget=500000';

/** Commands whose run is short and CPU-bound, and their flags. */
const SHORT_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['compose', SHORT_RUN_V8_FLAGS],
  ['explain', SHORT_RUN_V8_FLAGS],
  ['evaluate', EVALUATE_V8_FLAGS],
]);

/** Applies a short command's flags when `argv` runs one; `setFlags` is V8's, or a test's. */
export function tuneForShortRun(argv: readonly string[], setFlags: (flags: string) => void = setFlagsFromString): void {
  const flags = argv[0] === undefined ? undefined : SHORT_COMMANDS.get(argv[0]);
  if (flags !== undefined) setFlags(flags);
}
