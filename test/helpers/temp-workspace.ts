/**
 * A workspace folder written from a description, for tests that run the CLI in-process: paths
 * map to file contents (objects are written as YAML, strings as they are).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.js';

export type WorkspaceFiles = Readonly<Record<string, unknown>>;

export async function writeWorkspace(files: WorkspaceFiles): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'workspace-'));
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) continue; // lets a test leave out a file of a shared base
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), typeof content === 'string' ? content : stringify(content));
  }
  return root;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

/** A pipeline execution policy of sec/policies that injects its `gate.yml`: the smallest policy that enforces something. */
export const GATE_POLICY = `pipeline_execution_policy:
  - name: Gate
    enabled: true
    pipeline_config_strategy: inject_policy
    content:
      include:
        - project: sec/policies
          file: gate.yml
`;

/** A pipeline execution policy (inject_policy) whose CI file `file` is in the policy project sec/policies. */
export const pep = (name: string, file: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  enabled: true,
  pipeline_config_strategy: 'inject_policy',
  content: { include: [{ project: 'sec/policies', file }] },
  ...extra,
});
