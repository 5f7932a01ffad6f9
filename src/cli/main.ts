#!/usr/bin/env node
/** Binds the CLI to the process: the only place that reads process.argv or sets the exit code. */
import { printsStackTraces } from './source-maps.js';
import { tuneForShortRun } from './short-run.js';

const argv = process.argv.slice(2);
// Here, not in runCli: V8 flags and source maps are the process's, and tests run the CLI inside
// their own process. Node maps only modules loaded after source maps are on, hence run.js (and
// through it the command) imported only now.
tuneForShortRun(argv);
if (printsStackTraces(argv)) process.setSourceMapsEnabled(true);
const { runCli } = await import('./run.js');
process.exitCode = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
