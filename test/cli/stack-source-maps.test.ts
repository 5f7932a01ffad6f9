/**
 * The shipped CLI is a bundle (src/build/bundle-cli.ts); with --log-level debug an internal
 * error's stack still names the src/ files and lines, through the bundle's source maps, which
 * main.ts turns on only for such a run (src/cli/source-maps.ts). The internal error is a real
 * one: a copy of the package whose policy validators are missing (a broken install), so the
 * bundle's own code throws an error that is none of ours.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printsStackTraces } from '../../src/cli/source-maps.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { repoRoot } from '../helpers/built-cli.js';

describe('printsStackTraces', () => {
  it.each([
    [['compose', '--log-level', 'debug'], true],
    [['compose', '--log-level=trace'], true],
    [['validate', 'dir', '--log-level', 'trace', '--summary'], true],
    [['compose'], false],
    [['compose', '--log-level', 'info'], false],
    [['compose', '--log-level=warn'], false],
    [['compose', '--log-level'], false],
    [['compose', '--var', 'debug'], false],
    [['compose', '--log-level-x=debug'], false],
  ])('%j → %s', (argv, expected) => {
    expect(printsStackTraces(argv)).toBe(expected);
  });
});

interface Run {
  readonly code: number;
  readonly stderr: string;
}

let packageRoot = '';

beforeAll(async () => {
  // The package's layout (dist/ as built by the vitest global setup, package.json, templates),
  // its dependencies seen through a link, minus the generated policy validators.
  packageRoot = await mkdtemp(join(tmpdir(), 'stack-source-maps-'));
  for (const part of ['dist', 'package.json', 'templates']) await cp(join(repoRoot, part), join(packageRoot, part), { recursive: true });
  await symlink(join(repoRoot, 'node_modules'), join(packageRoot, 'node_modules'), 'dir');
  await rm(join(packageRoot, 'dist/validators/policies'), { recursive: true });
});

afterAll(async () => {
  if (packageRoot !== '') await rm(packageRoot, { recursive: true, force: true });
});

function validateExamples(...flags: string[]): Promise<Run> {
  const policies = join(repoRoot, 'examples/workspace/security/policies');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'dist/cli/main.js'), 'validate', policies, ...flags],
      { cwd: packageRoot, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
    );
  });
}

/** Stack frames (`    at fn (file:line:column)`), their files relative to the package root. */
function frames(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.replace(packageRoot, '<package>'));
}

describe('an internal error of the bundled CLI', () => {
  it('with --log-level debug, its stack names src/ files and lines, not the bundle chunks', async () => {
    const run = await validateExamples('--log-level', 'debug');
    expect(run.code, run.stderr).toBe(EXIT.internal);
    expect(run.stderr).toContain('policy-sidecar: unexpected error: Cannot find module');
    const ours = frames(run.stderr).filter((frame) => frame.includes('<package>/'));
    expect(ours.length, run.stderr).toBeGreaterThan(2);
    expect(ours.filter((frame) => !/\(<package>\/src\/[\w/.-]+\.ts:\d+:\d+\)$/.test(frame))).toEqual([]);
    expect(ours.join('\n')).toMatch(/checkPolicySchema \(<package>\/src\/policies\/schema-validator\.ts:\d+:\d+\)/);
  });

  it('without it, the message and hint only, no stack', async () => {
    const run = await validateExamples();
    expect(run.code, run.stderr).toBe(EXIT.internal);
    expect(run.stderr).toContain('hint: This is a bug in policy-sidecar');
    expect(frames(run.stderr)).toEqual([]);
  });
});
