/**
 * `policy-sidecar evaluate` as a separate process on a small workspace, for attack tests: the
 * project grp/app (id 278964) merging into its protected default branch main, one policy project,
 * and the merge request's and target branch's report files as given.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cliEntry } from './built-cli.js';
import { writeWorkspace } from './temp-workspace.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface EvaluateCase {
  /** The policy project's policy.yml, as an object (written as YAML). */
  readonly policy: unknown;
  /** Merge request pipeline report files: path → content. */
  readonly mr: Readonly<Record<string, string>>;
  /** Target branch report files; undefined: no target pipeline. */
  readonly main?: Readonly<Record<string, string>>;
}

export interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function evaluateAsProcess(input: EvaluateCase): Promise<ProcessRun> {
  const prefixed = (prefix: string, files: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}/${path}`, text]));
  const root = await writeWorkspace({
    'workspace.yml': { projects: { 'grp/app': { id: 278964, default_branch: 'main', protected_branches: ['main'] }, 'grp/policies': { id: 2 } } },
    'grp/app/README.md': 'app\n',
    'grp/policies/.gitlab/security-policies/policy.yml': input.policy,
    'reports/mr/.keep': '',
    ...prefixed('reports/mr', input.mr),
    ...(input.main === undefined ? {} : { 'reports/main/.keep': '', ...prefixed('reports/main', input.main) }),
  });
  const args = ['evaluate', '--workspace', root, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(root, 'reports/mr')];
  if (input.main !== undefined) args.push('--target-reports', join(root, 'reports/main'));
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry, ...args], {
      cwd: repoRoot,
      env: { ...process.env, CI: '', FORCE_COLOR: '0' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
