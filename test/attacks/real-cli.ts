/**
 * The one way attack tests start policy-sidecar: the real CLI process (node + tsx on
 * src/cli/main.ts), in a folder of the attacker's choosing, with exactly the environment given
 * (nothing inherited but PATH), so an attack sees what a job's process would see.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

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
      ['--import', import.meta.resolve('tsx'), join(repoRoot, 'src/cli/main.ts'), ...args],
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
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
