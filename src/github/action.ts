#!/usr/bin/env node
/**
 * Entry point of the GitHub Action (action.yml; the container's action stage runs
 * dist/github/action.js). Binds runAction to the process: the only place here that reads
 * process.env or sets the exit code.
 */
import { runAction } from './run-action.js';

try {
  process.exitCode = await runAction({ env: process.env, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
} catch (error) {
  // Writing the outputs or the summary failed (the CLI's own errors never reach here).
  process.stderr.write(`policy-sidecar action: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 70;
}
