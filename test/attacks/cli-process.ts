/**
 * The real CLI as a separate process, for attack tests: a project written to a temporary
 * workspace (text or raw bytes per file), compose run as CI runs it, and what it left behind.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeWorkspace, type WorkspaceFiles } from '../helpers/temp-workspace.js';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Writes `files` (path → text or bytes) under a new temporary folder and returns it. */
export async function writeFiles(files: Readonly<Record<string, string | Uint8Array>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'attack-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

export async function runCliProcess(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<ProcessRun> {
  const env = options.env ?? { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), FORCE_COLOR: '0' };
  try {
    // The working folder may be anywhere: tsx is loaded by its path.
    const { stdout, stderr } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'src/cli/main.ts'), ...args], { cwd: options.cwd, env, timeout: 120_000 }); // only so that a hung child of a failed test does not live on
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
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

/** `compose` of `project` with its policy projects, the two-file layout unless `singleFile`. */
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
  const { code, stderr } = await runCli(args);
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

function runCli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, CI: '', FORCE_COLOR: '0' }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : Number(error.code), stderr });
      },
    );
  });
}
