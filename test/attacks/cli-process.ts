/**
 * The attack tests' door to the product: the real CLI as a separate process (as `policy:compose`
 * runs it), on a workspace written from a description, with the files it wrote read back.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkspace, type WorkspaceFiles } from '../helpers/temp-workspace.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

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
