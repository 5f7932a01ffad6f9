/**
 * V8 tuning for the commands every pipeline runs. `compose` (and `explain`, the same work) lasts
 * about a second, and in a process that short V8's optimising compiler costs more CPU than it
 * saves: on the 500-job bench a third of the process's CPU went to TurboFan compiling functions
 * that ran only a few more times (callgrind). A larger interrupt budget makes V8 wait longer
 * before it optimises a function, so only code that stays hot is compiled: the bench's compose
 * takes about 30% less CPU, and a 5,000-job compose is no slower (docs/performance.md). The same
 * for `evaluate` (about a second on 13,000 findings a side): about 4% fewer instructions and 9%
 * less CPU, and no slower on 52,000 findings a side.
 * The store's questions (`policies`, `projects`, `coverage`, `findings`) and the commands above when
 * given a store open PGlite, a WebAssembly build of PostgreSQL: V8 compiles it with its baseline
 * compiler (Liftoff) and then re-compiles the functions that have run a while with TurboFan, which
 * for a run this short costs more than it saves. A 10× larger tiering budget leaves more of it on
 * Liftoff: `projects show` on a PGlite store takes 0.63 s of CPU instead of 0.93 s (wall 0.62 →
 * 0.47 s); a larger budget gains nothing more. V8's `--liftoff-only` measured 0.43 s, but it is a
 * testing flag that fails where Liftoff cannot compile a function instead of falling back to
 * TurboFan, so it is not used. Long runs (`sync`, `serve`) keep the default: a 2,000-project sync
 * on Liftoff only got slower (5.5 → 6.0 s), the optimised code pays there (docs/performance.md).
 * Without a PGlite store the flag changes nothing.
 * Long-running commands (serve, sync, audit...) keep V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';

/** Commands whose run is short and CPU-bound. */
const SHORT_COMMANDS: ReadonlySet<string> = new Set(['compose', 'explain', 'evaluate', 'policies', 'projects', 'coverage', 'findings']);

/**
 * The interrupt budget: 15× V8's default of 67,584 (bytecode budget before a JavaScript function is
 * considered for optimisation); the WebAssembly tiering budget: 10× the default of Node 20's V8
 * (1,800,000). Later V8s (Node 24's) raised their default to 13,000,000, the same direction; there
 * the flag still exists and stays above the default.
 */
export const SHORT_RUN_V8_FLAGS = '--interrupt-budget=1000000 --wasm-tiering-budget=18000000';

/** Applies SHORT_RUN_V8_FLAGS when `argv` runs a short command; `setFlags` is V8's, or a test's. */
export function tuneForShortRun(argv: readonly string[], setFlags: (flags: string) => void = setFlagsFromString): void {
  const command = argv[0];
  if (command !== undefined && SHORT_COMMANDS.has(command)) setFlags(SHORT_RUN_V8_FLAGS);
}
