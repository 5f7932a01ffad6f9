/**
 * Source maps for the bundle's stack traces. The CLI prints a stack only at --log-level debug or
 * trace (run.ts formatError), so only such a run turns Node's source-map support on: for every
 * other run it is start-up time spent for nothing (docs/performance.md "The bundle"). Node maps
 * only the modules loaded after it is on, so main.ts decides from argv before it loads run.js and
 * the commands; the parser has not run yet, hence this small check of its own (run.ts also uses
 * it for an error the parser itself throws).
 */

const STACK_LEVELS: ReadonlySet<string> = new Set(['debug', 'trace']);

/** Whether `argv` sets --log-level to a level that prints stack traces. */
export function printsStackTraces(argv: readonly string[]): boolean {
  return argv.some((arg, index) => {
    if (arg.startsWith('--log-level=')) return STACK_LEVELS.has(arg.slice('--log-level='.length));
    return arg === '--log-level' && STACK_LEVELS.has(argv[index + 1] ?? '');
  });
}
