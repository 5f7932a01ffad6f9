#!/usr/bin/env node
/** Binds the CLI to the process: the only place that reads process.argv or sets the exit code. */
import { packageVersion } from './package-files.js';

const argv = process.argv.slice(2);
if (argv[0] === '--version') {
  // Answered before any other module loads: `--version` is the start-up floor of every command
  // (issue #14), and the parser gives the same answer whatever follows it (parse-args.ts).
  process.stdout.write(`${packageVersion()}\n`);
} else {
  // V8 flags and source maps are the process's, not runCli's: tests run the CLI inside their own
  // process. Node maps only modules loaded after source maps are on, hence run.js (and through it
  // the command) imported only after this.
  const [{ tuneForShortRun }, { printsStackTraces }] = await Promise.all([import('./short-run.js'), import('./source-maps.js')]);
  tuneForShortRun(argv);
  if (printsStackTraces(argv)) process.setSourceMapsEnabled(true);
  const { runCli } = await import('./run.js');
  process.exitCode = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
