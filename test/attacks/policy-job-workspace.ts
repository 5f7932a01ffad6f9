/**
 * The policy-job attacks run the real CLI as a separate process (`runRealCli`), as the compose job does, on a workspace:
 * project app/web (id 5) and the policy project sec/policies (id 900). Project, group and
 * pipeline variables are stood in for by `--var` (compose) and, under gitlab-ci-local,
 * `--variable` (run). A composed job's shell is run as GitLab Runner runs it: `before_script`
 * and `script` in one shell with `set -e`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeWorkspace, type WorkspaceFiles } from '../helpers/temp-workspace.js';
import { repoRoot, runRealCli } from './real-cli.js';

export const POLICY_FILE = 'sec/policies/.gitlab/security-policies/policy.yml';
export const POLICY_CI = 'sec/policies/policy-ci.yml';
/** A fixed pipeline SHA, as GitLab would report it. */
export const PIPELINE_SHA = '8d3c9b0e5f1a2b3c4d5e6f708192a3b4c5d6e7f8';

type Entry = Record<string, unknown>;

/** A pipeline execution policy running sec/policies:policy-ci.yml. */
export const pipelinePolicy = (extra: Entry = {}): Entry => ({
  name: 'Platform checks',
  enabled: true,
  pipeline_config_strategy: 'inject_policy',
  content: { include: [{ project: 'sec/policies', file: 'policy-ci.yml' }] },
  ...extra,
});

export const scanPolicy = (actions: Entry[]): Entry => ({
  name: 'Scans',
  enabled: true,
  rules: [{ type: 'pipeline', branches: ['*'] }],
  actions,
});

export const baseWorkspace: WorkspaceFiles = {
  'workspace.yml': { projects: { 'app/web': { id: 5, groups: [1], default_branch: 'main' }, 'sec/policies': { id: 900 } } },
  'app/web/.gitlab-ci.yml': { build: { stage: 'build', script: ['make'] } },
  'app/web/app.py': 'print("hello")\n',
};

export interface ComposeRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly root: string;
  readonly jobs: Record<string, Entry>;
}

/** `policy-sidecar compose` as a process on a workspace made of `base` and `files`. */
export async function composeAppWeb(files: WorkspaceFiles, flags: readonly string[] = []): Promise<ComposeRun> {
  const root = await writeWorkspace({ ...baseWorkspace, ...files });
  const args = ['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--branch', 'main', ...flags];
  const { code, stdout, stderr } = await runRealCli(args, { cwd: repoRoot, env: { HOME: process.env.HOME ?? '', CI: '', FORCE_COLOR: '0' } });
  const document = code === 0 ? (parse(stdout) as Record<string, Entry>) : {};
  const { stages: _stages, ...jobs } = document;
  return { code, stdout, stderr, root, jobs };
}

/** The lines GitLab Runner runs in the job's main shell: `before_script` then `script`. */
export function mainShellLines(job: Entry | undefined): string[] {
  const lines = (key: string): string[] => {
    const value = job?.[key];
    return Array.isArray(value) ? value.map(String) : [];
  };
  return [...lines('before_script'), ...lines('script')];
}

export interface ShellRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The shells GitLab Runner uses on Linux: dash (Debian's `sh`), bash, and busybox ash (alpine's
 * `sh`) when this machine has busybox.
 */
export const JOB_SHELLS: readonly (readonly string[])[] = [['/usr/bin/dash'], ['/usr/bin/bash'], ...(existsSync('/usr/bin/busybox') ? [['/usr/bin/busybox', 'sh']] : [])];

/** Runs `lines` as one job shell (`set -e`, as the runner does) with `shell` in `cwd`, with only `env`. */
export async function runJobShell(shell: string | readonly string[], lines: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Promise<ShellRun> {
  const dir = await mkdtemp(join(tmpdir(), 'job-shell-'));
  const script = join(dir, 'job.sh');
  await writeFile(script, ['set -e', ...lines, ''].join('\n'));
  const [file = '', ...args] = typeof shell === 'string' ? [shell] : shell;
  return spawn(file, [...args, script], cwd, env);
}

function spawn(file: string, args: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}
