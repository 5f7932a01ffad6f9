/**
 * Runs a pipeline for real: the YAML goes into a throw-away git repository (test/oracle's
 * oracle-repo.ts) and gitlab-ci-local 4.72 executes every job with `--force-shell-executor`,
 * concurrently, as runners would. Per job it reports whether it started and how it ended, read
 * from gitlab-ci-local's output; for ordering, jobs write their own events with `timelineLine`
 * to a file outside the repository, named by `RUN_TIMELINE` in the environment of every job
 * (like a runner's `environment` setting: not a CI/CD variable, so no policy filters it).
 *
 * gitlab-ci-local differs from GitLab in ways the tests must allow for (src/executor.ts,
 * readable from node_modules/gitlab-ci-local/dist/index.js.map):
 * - It has no "skipped" state. A job that does not start never finishes, and everything that
 *   waits for it waits forever, transitively: after a failure, a `when: always` job runs only if
 *   nothing it waits for was left unstarted. GitLab skips such jobs, which lets `always` jobs
 *   and jobs that `needs` a skipped job run. So a failed run proves less than in GitLab; run
 *   jobs by name (`only`) to see what a job does when GitLab starts it anyway.
 * - Named jobs (`only`) start at once, without their needs or earlier stages, and see only what
 *   is already in the working copy.
 * - Manual jobs run only when named in `--manual` (`manual`), then as soon as their needs allow.
 *   A manual job another job needs must be played, or gitlab-ci-local refuses to run.
 * - The shell executor runs every job in the same working copy, so files one job writes are
 *   there for all later jobs, artifacts or not; `dependencies` and `needs:artifacts` are not
 *   enforced. Variables from `--variable` outrank YAML variables, as settings variables do.
 * - Status lines go partly to stderr; job output lines are `<name padded> > <text>`.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { createOracleRepo } from '../oracle/oracle-repo.js';
import { rejectSchemaErrors } from '../oracle/oracle-run.js';

const require = createRequire(import.meta.url);
const cliPath = join(dirname(require.resolve('gitlab-ci-local/package.json')), 'dist', 'index.js');

export type JobStatus = 'success' | 'failed' | 'allowed-failure' | 'skipped' | 'manual';

export interface JobRun {
  readonly name: string;
  readonly started: boolean;
  /** `skipped`/`manual`: never started (gitlab-ci-local cannot tell skipped from blocked). */
  readonly status: JobStatus;
  /** What the job printed (`> ` lines). */
  readonly output: readonly string[];
}

export interface TimelineEvent {
  readonly event: string;
  readonly job: string;
  /** Nanoseconds since the epoch (`date +%s%N`). */
  readonly at: bigint;
  readonly detail: string;
}

export interface PipelineRun {
  readonly jobs: ReadonlyMap<string, JobRun>;
  readonly timeline: readonly TimelineEvent[];
  readonly exitCode: number;
  /** gitlab-ci-local's stdout then stderr, for failure messages. */
  readonly log: string;
}

export interface PipelineRunOptions {
  /** `--variable`: stands for settings (project, group, instance) or pipeline variables. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Manual jobs to play. */
  readonly manual?: readonly string[];
  /** Start only these jobs, at once, as GitLab would start a job it does not skip. */
  readonly only?: readonly string[];
  /** Other files committed with the pipeline, by path. */
  readonly files?: Readonly<Record<string, string>>;
  /** Paths among `files` committed as executable (mode 755). */
  readonly executables?: readonly string[];
}

/**
 * A script line recording `event` for the running job, with a nanosecond clock and an optional
 * shell word as detail (e.g. `"$ENFORCED"`). GNU `date` (the host's: shell executor).
 */
export function timelineLine(event: string, detail = "''"): string {
  return `printf '%s\\t%s\\t%s\\t%s\\n' ${event} "$CI_JOB_NAME" "$(date +%s%N)" ${detail} >> "$RUN_TIMELINE"`;
}

export async function runPipeline(yaml: string, options: PipelineRunOptions = {}): Promise<PipelineRun> {
  const source = await mkdtemp(join(tmpdir(), 'policy-sidecar-run-'));
  try {
    await writeFile(join(source, '.gitlab-ci.yml'), yaml);
    for (const [path, text] of Object.entries(options.files ?? {})) {
      await mkdir(dirname(join(source, path)), { recursive: true });
      await writeFile(join(source, path), text);
      if (options.executables?.includes(path) === true) await chmod(join(source, path), 0o755);
    }
    const repo = await createOracleRepo({
      sourceDir: source,
      ignore: [],
      branch: 'main',
      tag: undefined,
      defaultBranch: 'main',
      projectPath: 'acme/web',
      changedPaths: [],
    });
    try {
      const timelinePath = join(repo.root, 'timeline.tsv');
      await writeFile(timelinePath, '');
      const args = [
        cliPath,
        ...(options.only ?? []),
        `--cwd=${repo.repoName}`,
        `--state-dir=../${repo.stateName}`,
        `--home=${repo.home}`,
        '--variables-file=../no-variables.yml',
        '--force-shell-executor',
        '--no-color',
        // The schema check runs in the worker (below) unless a child pipeline may run: its parse
        // overwrites the expanded configuration the worker reads.
        `--json-schema-validation=${String(mayStartChildPipeline(yaml))}`,
        ...Object.entries(options.variables ?? {}).map(([key, value]) => `--variable=${key}=${value}`),
        ...(options.manual ?? []).map((name) => `--manual=${name}`),
      ];
      const { stdout, stderr, exitCode } = await spawnCli(repo.root, { ...repo.env, RUN_TIMELINE: timelinePath }, args);
      const log = `${stdout}\n${stderr}`;
      if (!mayStartChildPipeline(yaml)) await checkSchemaInWorker(join(repo.root, repo.stateName, 'expanded-gitlab-ci.yml'), stdout, stderr);
      // A whole pipeline ends with "pipeline finished in"; named jobs end with their verdicts only.
      if (!/pipeline finished in|^ (PASS|FAIL|WARN) {2}/m.test(log)) {
        throw new Error(`gitlab-ci-local did not run the pipeline (exit ${String(exitCode)}):\n${log}`);
      }
      const jobs = readJobs(yaml, stdout, stderr);
      const timeline = readTimeline(await readFile(timelinePath, 'utf8'));
      return { jobs, timeline, exitCode, log };
    } finally {
      await repo.remove();
    }
  } finally {
    await rm(source, { recursive: true, force: true });
  }
}

/**
 * gitlab-ci-local's schema check of what it parsed (test/oracle/gitlab-ci-schema.ts): it writes
 * the expanded configuration before checking it, so a run without the file never parsed, and
 * the log check below reports why.
 */
async function checkSchemaInWorker(expandedPath: string, stdout: string, stderr: string): Promise<void> {
  const text = await readFile(expandedPath, 'utf8').catch(() => undefined);
  if (text !== undefined) rejectSchemaErrors(parse(text, { maxAliasCount: -1 }), stdout, stderr);
}

/** A trigger job, or an include that could bring one. */
function mayStartChildPipeline(yaml: string): boolean {
  const document: unknown = parse(yaml);
  if (typeof document !== 'object' || document === null) return false;
  if ('include' in document) return true;
  return Object.values(document).some((job: unknown) => typeof job === 'object' && job !== null && 'trigger' in job);
}

function spawnCli(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // A failed job makes gitlab-ci-local exit 1; that is a result, not an error of the harness.
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ stdout, stderr, exitCode: error === null ? 0 : Number(error.code) });
    });
  });
}

const KEYWORDS = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

function readJobs(yaml: string, stdout: string, stderr: string): Map<string, JobRun> {
  const document: unknown = parse(yaml);
  if (typeof document !== 'object' || document === null) throw new Error('pipeline YAML is not a mapping');
  const definitions = Object.entries(document).filter(([name]) => !KEYWORDS.has(name) && !name.startsWith('.'));
  // Longest first, so a name that prefixes another (`a`, `a b`) does not steal its lines.
  const names = definitions.map(([name]) => name).sort((a, b) => b.length - a.length);
  const started = new Set<string>();
  const output = new Map<string, string[]>(names.map((name) => [name, []]));
  const summary = new Map<string, JobStatus>();
  for (const line of `${stdout}\n${stderr}`.split('\n')) {
    const verdict = /^ (PASS|FAIL|WARN) {2}(.*)$/.exec(line);
    if (verdict !== null) {
      const [, kind = '', rest = ''] = verdict;
      const name = names.find((candidate) => rest === candidate || rest.startsWith(`${candidate} `));
      if (name === undefined || rest.trimEnd().endsWith(' after_script')) continue; // after_script cannot fail a job
      summary.set(name, kind === 'PASS' ? 'success' : kind === 'FAIL' ? 'failed' : 'allowed-failure');
      continue;
    }
    const name = names.find((candidate) => line.startsWith(`${candidate} `));
    if (name === undefined) continue;
    const rest = line.slice(name.length).trimStart();
    if (rest.startsWith('starting ')) started.add(name);
    else if (rest.startsWith('> ')) output.get(name)?.push(rest.slice(2));
  }
  const jobs = new Map<string, JobRun>();
  for (const [name, definition] of definitions) {
    const manual = typeof definition === 'object' && definition !== null && 'when' in definition && definition.when === 'manual';
    const status = summary.get(name) ?? (manual ? 'manual' : 'skipped');
    jobs.set(name, { name, started: started.has(name), status, output: output.get(name) ?? [] });
  }
  return jobs;
}

function readTimeline(text: string): TimelineEvent[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [event = '', job = '', at = '0', detail = ''] = line.split('\t');
      return { event, job, at: BigInt(at), detail };
    });
}
