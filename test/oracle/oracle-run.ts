/**
 * Runs gitlab-ci-local once in `--list-json` mode and reads back both of its views of the
 * pipeline: the JSON job list (stage, when, allow_failure and needs after `rules`) on stdout, and
 * the fully expanded configuration it writes to `<state dir>/expanded-gitlab-ci.yml` on every
 * parse (src/parser.ts Parser.create), which holds scripts and variables after includes,
 * `extends`, `!reference` and `default`. One process gives both, so `--preview` is not needed.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { gitlabCiSchemaErrors } from './gitlab-ci-schema.js';
import type { OracleRepo } from './oracle-repo.js';

const require = createRequire(import.meta.url);
const cliPath = join(dirname(require.resolve('gitlab-ci-local/package.json')), 'dist', 'index.js');

/** gitlab-ci-local failed or printed something we cannot read; carries its output. */
export class OracleError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'OracleError';
  }
}

/** One entry of `--list-json` (src/commander.ts runJson). */
export interface ListedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
  readonly allowFailure: boolean | { readonly exit_codes: unknown };
  readonly needs: readonly string[] | null;
  readonly rules: readonly Record<string, unknown>[] | null;
}

export interface RunResult {
  readonly listed: readonly ListedJob[];
  /** The expanded configuration, keyed like `.gitlab-ci.yml` (jobs, `variables`, `stages`...). */
  readonly expanded: Record<string, unknown>;
}

export interface RunOptions {
  readonly variables: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
  /** False when the context gives no changed paths: then `rules:changes` is true, as in GitLab. */
  readonly evaluateChanges: boolean;
  /**
   * gitlab-ci-local's JSON-schema check of the expanded configuration, which proves a fixture is
   * valid GitLab CI. `worker` runs the same check in the test worker (gitlab-ci-schema.ts), since
   * in the process it is about three quarters of a run's CPU time (it compiles GitLab's CI schema
   * with ajv in every process); `gitlab-ci-local` leaves it in the process (to prove the two
   * agree); `none` skips it: the probe run of a repository the first run checked only adds the
   * oracle's own probe jobs.
   */
  readonly schemaCheck: SchemaCheck;
}

export type SchemaCheck = 'worker' | 'gitlab-ci-local' | 'none';

export async function runGitlabCiLocal(repo: OracleRepo, options: RunOptions): Promise<RunResult> {
  const overridden = [...Object.keys(options.variables), ...options.unset];
  const args = [
    cliPath,
    '--list-json',
    `--cwd=${repo.repoName}`,
    `--state-dir=../${repo.stateName}`,
    `--home=${repo.home}`,
    // Files that do not exist, so no project variables or component inputs leak in from the copy.
    '--variables-file=../no-variables.yml',
    '--inputs-file=../no-inputs.yml',
    '--no-color',
    `--evaluate-rule-changes=${String(options.evaluateChanges)}`,
    `--json-schema-validation=${String(options.schemaCheck === 'gitlab-ci-local')}`,
    ...Object.entries(options.variables).map(([key, value]) => `--variable=${key}=${value}`),
    ...options.unset.map((key) => `--unset-variable=${key}`),
    // Overriding a predefined variable prints a warning on *stdout* (src/job.ts
    // discourageOverridingOfPredefinedVariables), which would corrupt the JSON.
    ...(overridden.length > 0 ? [`--ignore-predefined-vars=${overridden.join(',')}`] : []),
  ];
  const { stdout, stderr } = await spawnCli(repo, args);
  const listed = parseListJson(stdout, stderr);
  const expandedPath = join(repo.root, repo.stateName, 'expanded-gitlab-ci.yml');
  const expanded: unknown = parse(await readFile(expandedPath, 'utf8'), { maxAliasCount: -1 });
  if (!isRecord(expanded)) throw new OracleError(`oracle: ${expandedPath} is not a mapping`, stdout, stderr);
  if (options.schemaCheck === 'worker') rejectSchemaErrors(expanded, stdout, stderr);
  return { listed, expanded };
}

/** Fails as gitlab-ci-local fails when its schema check finds errors (src/validator.ts). */
export function rejectSchemaErrors(expanded: unknown, stdout: string, stderr: string): void {
  const errors = gitlabCiSchemaErrors(expanded);
  if (errors.length === 0) return;
  const lines = errors.slice(0, 5).map((error) => `\t• ${error.message} [${error.schemaPath}]`);
  throw new OracleError(`gitlab-ci-local schema check (in the worker): Invalid .gitlab-ci.yml configuration!\n${lines.join('\n')}`, stdout, stderr);
}

function spawnCli(repo: OracleRepo, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: repo.root, env: repo.env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const detail = stripAnsi(stderr).trim() || stripAnsi(stdout).trim() || error.message;
        reject(new OracleError(`gitlab-ci-local failed (exit ${String(error.code)}):\n${detail}`, stdout, stderr));
      },
    );
  });
}

function parseListJson(stdout: string, stderr: string): ListedJob[] {
  // Warnings may precede the JSON on stdout; the JSON array starts on a line of its own.
  const start = /^\[\]?$/m.exec(stdout);
  if (start === null) throw new OracleError('oracle: no JSON job list on gitlab-ci-local stdout', stdout, stderr);
  let json: unknown;
  try {
    json = JSON.parse(stdout.slice(start.index));
  } catch (error) {
    throw new OracleError(`oracle: cannot parse --list-json output: ${String(error)}`, stdout, stderr);
  }
  if (!Array.isArray(json)) throw new OracleError('oracle: --list-json output is not an array', stdout, stderr);
  return json.map((entry: unknown) => toListedJob(entry, stdout, stderr));
}

function toListedJob(entry: unknown, stdout: string, stderr: string): ListedJob {
  if (!isRecord(entry) || typeof entry['name'] !== 'string' || typeof entry['stage'] !== 'string' || typeof entry['when'] !== 'string') {
    throw new OracleError(`oracle: unexpected --list-json entry ${JSON.stringify(entry)}`, stdout, stderr);
  }
  const allowFailure = entry['allow_failure'];
  const needs = entry['needs'];
  const rules = entry['rules'];
  return {
    name: entry['name'],
    stage: entry['stage'],
    when: entry['when'],
    allowFailure: isRecord(allowFailure) ? { exit_codes: allowFailure['exit_codes'] } : allowFailure === true,
    // Needs are objects after src/data-expander.ts needsComplex; cross-project ones are already filtered out.
    needs: Array.isArray(needs) ? needs.map((need: unknown) => (isRecord(need) ? String(need['job']) : String(need))) : null,
    rules: Array.isArray(rules) ? rules.filter(isRecord) : null,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[\d;]*m/g, '');
}
