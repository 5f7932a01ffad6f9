#!/usr/bin/env node
/** Binds the CLI to the process: the only place that reads process.argv or sets the exit code. */
import { runCli } from './run.js';
import { tuneForShortRun } from './short-run.js';

// Here, not in runCli: V8 flags are the process's, and tests run the CLI inside their own process.
tuneForShortRun(process.argv.slice(2));
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
