/**
 * V8 tuning for the commands every pipeline runs. `compose` (and `explain`, the same work) lasts
 * about a second, and in a process that short V8's optimising compiler costs more CPU than it
 * saves: on the 500-job bench a third of the process's CPU went to TurboFan compiling functions
 * that ran only a few more times (callgrind). A larger interrupt budget makes V8 wait longer
 * before it optimises a function, so only code that stays hot is compiled: the bench's compose
 * takes about 30% less CPU, and a 5,000-job compose is no slower (docs/performance.md). The same
 * for `evaluate` (about a second on 13,000 findings a side): about 4% fewer instructions and 9%
 * less CPU, and no slower on 52,000 findings a side.
 * Long-running commands (serve, sync, audit...) keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';

/** Commands whose run is short and CPU-bound. */
const SHORT_COMMANDS: ReadonlySet<string> = new Set(['compose', 'explain', 'evaluate']);

/** 15× V8's default of 67,584 (bytecode budget before a function is considered for optimisation). */
export const SHORT_RUN_V8_FLAGS = '--interrupt-budget=1000000';

/** Applies SHORT_RUN_V8_FLAGS when `argv` runs a short command; `setFlags` is V8's, or a test's. */
export function tuneForShortRun(argv: readonly string[], setFlags: (flags: string) => void = setFlagsFromString): void {
  const command = argv[0];
  if (command !== undefined && SHORT_COMMANDS.has(command)) setFlags(SHORT_RUN_V8_FLAGS);
}
