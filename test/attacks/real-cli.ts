/**
 * The one way attack tests start policy-sidecar: the real CLI process (node on the compiled
 * dist/cli/main.js, see test/helpers/built-cli.ts), in a folder of the attacker's choosing, with exactly the environment given
 * (nothing inherited but PATH), so an attack sees what a job's process would see.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cliEntry } from '../helpers/built-cli.js';
import { writeWorkspace, type WorkspaceFiles } from '../helpers/temp-workspace.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runRealCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir(), ...options.env };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      // The working folder may be anywhere: the entry point is an absolute path.
      [cliEntry, ...args],
      // The timeout only keeps a hung child of a failed test from living on.
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The run when it exited 0; otherwise throws with its standard error, for steps that must succeed. */
export function succeeded(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`policy-sidecar exited ${result.code}: ${result.stderr}`);
  return result;
}

export interface ComposeProcess {
  readonly code: number;
  readonly stderr: string;
  /** `--out`, when written. */
  readonly main: string | undefined;
  /** `--pre-out`, when written. */
  readonly pre: string | undefined;
  /** `--report`, parsed, when written. */
  readonly report: { policyFailure: unknown; jobs: { name: string; pipeline?: string; origin: string }[] } | undefined;
}

/** `compose` of `project` on a workspace of `files` with its policy projects, the two-file layout unless `singleFile`. */
export async function composeProcess(
  files: WorkspaceFiles,
  options: { project: string; policyProjects: readonly string[]; singleFile?: boolean; flags?: readonly string[] },
): Promise<ComposeProcess> {
  const root = await writeWorkspace(files);
  const args = ['compose', '--workspace', root, '--project', options.project, '--branch', 'main', '--source', 'push'];
  for (const project of options.policyProjects) args.push('--policy-project', project);
  args.push('--out', join(root, 'policy-pipeline.yml'), '--report', join(root, 'policy-report.json'));
  if (options.singleFile !== true) args.push('--pre-out', join(root, 'policy-pre-pipeline.yml'));
  args.push(...(options.flags ?? []));
  const { code, stderr } = await runRealCli(args, { cwd: repoRoot, env: { CI: '', FORCE_COLOR: '0' } });
  const read = (name: string) => readFile(join(root, name), 'utf8').catch(() => undefined);
  const reportText = await read('policy-report.json');
  return {
    code,
    stderr,
    main: await read('policy-pipeline.yml'),
    pre: await read('policy-pre-pipeline.yml'),
    report: reportText === undefined ? undefined : (JSON.parse(reportText) as ComposeProcess['report']), // our own report
  };
}

/** A file tree: strings are written as they are, objects as YAML, `{ symlink: target }` as a link. */
export type Tree = Readonly<Record<string, unknown>>;

export async function writeTree(files: Tree, root?: string): Promise<string> {
  const base = root ?? (await mkdtemp(join(tmpdir(), 'attack-')));
  for (const [path, content] of Object.entries(files)) {
    const target = join(base, path);
    await mkdir(dirname(target), { recursive: true });
    if (isLink(content)) await symlink(content.symlink, target);
    else await writeFile(target, typeof content === 'string' || content instanceof Uint8Array ? content : stringify(content));
  }
  return base;
}

function isLink(value: unknown): value is { symlink: string } {
  return typeof value === 'object' && value !== null && 'symlink' in value && typeof (value as { symlink: unknown }).symlink === 'string';
}

/** Standard error without pino's JSON lines: what a person reads. */
export function messageLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('{'));
}
