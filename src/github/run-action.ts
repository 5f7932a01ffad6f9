/**
 * The GitHub Action as a function: GitHub's environment in, exit code out (action.ts binds it to
 * the process). It runs the CLI in-process with the inputs turned into arguments, then writes the
 * step outputs to `$GITHUB_OUTPUT` and a summary to `$GITHUB_STEP_SUMMARY`. The exit code is the
 * CLI's. Neither the environment nor the arguments are printed: they may hold tokens.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCli, formatError } from '../cli/run.js';
import { exitCodeFor } from '../cli/exit-codes.js';
import type { CliIo } from '../cli/io.js';
import type { PipelineReport } from '../emit/report.js';
import { isSidecarError } from '../errors.js';
import { buildCliArguments, readActionInputs, type ActionInputs } from './action-inputs.js';
import { formatOutputs } from './action-outputs.js';
import { renderStepSummary } from './step-summary.js';

export interface ActionIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): void };
  readonly stderr: { write(text: string): void };
  /** The process's directory; GITHUB_WORKSPACE wins when set. */
  readonly cwd: string;
}

export async function runAction(io: ActionIo): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readActionInputs(io.env);
  } catch (error) {
    if (!isSidecarError(error)) throw error;
    io.stderr.write(formatError(error, false));
    return exitCodeFor(error);
  }
  const cwd = io.env['GITHUB_WORKSPACE'] || io.cwd;
  const errors: string[] = [];
  const cliIo: CliIo = {
    stdout: io.stdout,
    stderr: {
      write: (text: string) => {
        io.stderr.write(text);
        errors.push(...text.split('\n').filter((line) => line.startsWith('policy-sidecar:') || line.startsWith('  hint:')));
      },
    },
    env: io.env,
    cwd,
  };
  const exitCode = await withoutWorkflowCommands(io.stdout, () => runCli(buildCliArguments(inputs), cliIo));

  const writesReport = inputs.command === 'compose' || inputs.command === 'explain';
  const report = writesReport && exitCode === 0 ? await readReport(resolve(cwd, inputs.report)) : undefined;
  const outputs = {
    pipeline: inputs.command === 'compose' && exitCode === 0 ? inputs.out : '',
    report: report === undefined ? '' : inputs.report,
    'policies-applied': report === undefined ? '' : String(report.policies.filter((policy) => policy.applied).length),
    'policy-failure': report === undefined || report.policyFailure === null ? '' : `${report.policyFailure.code}: ${report.policyFailure.message}`,
  };
  await appendTo(io.env['GITHUB_OUTPUT'], formatOutputs(outputs));
  await appendTo(io.env['GITHUB_STEP_SUMMARY'], renderStepSummary({ command: inputs.command, exitCode, report, errors }));
  return exitCode;
}

/**
 * The CLI's standard output can hold text from configurations (job names, messages); GitHub
 * would run any line of it that looks like `::command::`. Commands are off while it runs
 * (docs "Stopping and starting workflow commands").
 */
async function withoutWorkflowCommands(stdout: ActionIo['stdout'], run: () => Promise<number>): Promise<number> {
  const token = randomUUID();
  stdout.write(`::stop-commands::${token}\n`);
  try {
    return await run();
  } finally {
    stdout.write(`::${token}::\n`);
  }
}

async function appendTo(file: string | undefined, text: string): Promise<void> {
  if (file === undefined || file === '') return;
  await appendFile(file, text, 'utf8');
}

/** The report the CLI just wrote; its shape is checked before the summary relies on it. */
async function readReport(path: string): Promise<PipelineReport | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  return isPipelineReport(parsed) ? parsed : undefined;
}

function isPipelineReport(value: unknown): value is PipelineReport {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>; // checked: a non-null object
  return (
    record['version'] === 1 &&
    typeof record['project'] === 'string' &&
    Array.isArray(record['policies']) &&
    Array.isArray(record['jobs']) &&
    Array.isArray(record['stages']) &&
    Array.isArray(record['excludedJobs']) &&
    Array.isArray(record['droppedPolicyJobs'])
  );
}
