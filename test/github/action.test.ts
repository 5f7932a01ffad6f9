/**
 * The GitHub Action entry point with the environment GitHub gives a container action: inputs as
 * INPUT_* variables (hyphens kept), GITHUB_WORKSPACE, and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, against a copy of examples/workspace.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUT_NAMES, readInput } from '../../src/github/action-inputs.js';
import { formatOutputs } from '../../src/github/action-outputs.js';
import { runAction } from '../../src/github/run-action.js';
import { actionEntry } from '../helpers/built-cli.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'glpat-never-printed-0123456789';

interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

let github = '';
beforeEach(async () => {
  github = await mkdtemp(join(tmpdir(), 'github-'));
  await cp(join(repoRoot, 'examples/workspace'), join(github, 'workspace/examples/workspace'), { recursive: true });
  await writeFile(join(github, 'output'), '');
  await writeFile(join(github, 'summary'), '');
});
afterEach(async () => {
  await rm(github, { recursive: true, force: true });
});

interface ActionMetadata {
  readonly inputs: Record<string, { readonly default?: string }>;
  readonly outputs: Record<string, unknown>;
  readonly runs: unknown;
}
const metadata = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionMetadata;

/** What GitHub sets: every input action.yml declares (its default when not given), CI, and the file commands. */
function githubEnv(inputs: Record<string, string>): Record<string, string> {
  const declared = Object.fromEntries(Object.entries(metadata.inputs).map(([name, input]) => [name, input.default ?? '']));
  const env: Record<string, string> = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: join(github, 'workspace'),
    GITHUB_OUTPUT: join(github, 'output'),
    GITHUB_STEP_SUMMARY: join(github, 'summary'),
    POLICY_SIDECAR_TOKEN: TOKEN,
  };
  for (const [name, value] of Object.entries({ ...declared, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** The GITHUB_OUTPUT file, read back the way the runner reads `name<<DELIMITER` entries. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2\n/gm)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

async function act(inputs: Record<string, string>): Promise<ActionRun> {
  let stdout = '';
  let stderr = '';
  const code = await runAction({
    env: githubEnv(inputs),
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    cwd: repoRoot,
  });
  const outputs = parseOutputs(await readFile(join(github, 'output'), 'utf8'));
  const summary = await readFile(join(github, 'summary'), 'utf8');
  for (const text of [stdout, stderr, summary, JSON.stringify(outputs)]) expect(text).not.toContain(TOKEN);
  return { code, stdout, stderr, outputs, summary };
}

const example = { workspace: 'examples/workspace', project: 'acme/web', 'policy-projects': 'security/policies', branch: 'main' };

describe('GitHub Action', () => {
  it('composes: pipeline and report in the workspace, outputs, and a summary of policies and jobs', async () => {
    const run = await act({ command: 'compose', ...example });
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs).toEqual({ pipeline: 'policy-pipeline.yml', report: 'policy-report.json', 'policies-applied': '4', 'policy-failure': '' });
    const pipeline = parse(await readFile(join(github, 'workspace/policy-pipeline.yml'), 'utf8')) as Record<string, unknown>;
    expect(pipeline).toHaveProperty('stages');
    const report = JSON.parse(await readFile(join(github, 'workspace/policy-report.json'), 'utf8')) as { project: string };
    expect(report.project).toBe('acme/web');
    expect(run.summary).toContain('## policy-sidecar compose: acme/web (push on main)');
    expect(run.summary).toContain('### Policies (4 of 5 applied)');
    expect(run.summary).toContain('| Supply-chain checks | pipeline\\_execution\\_policy | security/policies #0 | ✅ yes |');
    expect(run.summary).toContain('| Locked-down pipeline | pipeline\\_execution\\_policy | security/policies #2 | ➖ no | out of scope');
    expect(run.summary).toMatch(/\| project \| \d+: build, /);
    expect(run.summary).toContain('| policy "Supply-chain checks" (security/policies) |');
    // Workflow commands are off while the CLI writes to standard output.
    expect(run.stdout).toMatch(/^::stop-commands::([0-9a-f-]+)\n::\1::\n$/);
  });

  it('explains: the report output, no pipeline output', async () => {
    const run = await act({ command: 'explain', ...example, 'mr-target': 'main', branch: 'feature/checkout' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs['pipeline']).toBe('');
    expect(run.outputs['report']).toBe('policy-report.json');
    expect(run.stdout).toContain('Pipeline for acme/web (merge_request_event on feature/checkout)');
    expect(run.summary).toContain('## policy-sidecar explain: acme/web (merge\\_request\\_event on feature/checkout)');
  });

  it('validates the paths given in args', async () => {
    const run = await act({ command: 'validate', args: 'examples/workspace/security/policies examples/workspace/acme/web' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs).toEqual({ pipeline: '', report: '', 'policies-applied': '', 'policy-failure': '' });
    expect(run.summary).toBe('## policy-sidecar validate\n\n✅ Passed.\n');
  });

  it('fails closed with the CLI exit code and its message in the summary', async () => {
    const run = await act({ command: 'compose', ...example, 'policy-projects': 'security/missing' });
    expect(run.code).not.toBe(0);
    expect(run.outputs['pipeline']).toBe('');
    await expect(stat(join(github, 'workspace/policy-pipeline.yml'))).rejects.toThrow();
    expect(run.summary).toContain(`❌ Failed (exit ${run.code}).`);
    expect(run.summary).toMatch(/```text\npolicy-sidecar: .*security\/missing/);
  });

  it('under fail-open composes without policies and says so in the outputs', async () => {
    const run = await act({ command: 'compose', ...example, 'policy-projects': 'security/missing', 'fail-open': 'true' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.outputs['policies-applied']).toBe('0');
    expect(run.outputs['policy-failure']).toMatch(/^[a-z-]+: .*security\/missing/);
    expect(run.summary).toContain('Composed WITHOUT policies (--fail-open)');
  });

  it.each<{ name: string; inputs: Record<string, string>; message: string }>([
    { name: 'a boolean outside YAML 1.2 core', inputs: { command: 'compose', 'fail-open': 'yes' }, message: 'input fail-open: "yes" is not a boolean' },
    { name: 'an unknown command', inputs: { command: 'deploy' }, message: 'input command: "deploy" is not one of compose, explain, validate, evaluate' },
  ])('rejects $name with exit 2', async ({ inputs, message }) => {
    const run = await act(inputs);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('action.yml', () => {
  it('declares the outputs the entry point writes', async () => {
    const run = await act({ command: 'validate', args: 'examples/workspace/security/policies' });
    expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(metadata.outputs).sort());
  });

  it('declares every input the entry point reads, with GitHub-style names', () => {
    expect([...ACTION_INPUT_NAMES].sort()).toEqual(Object.keys(metadata.inputs).sort());
    for (const name of ACTION_INPUT_NAMES) expect(readInput({ [`INPUT_${name.toUpperCase()}`]: ' x ' }, name), name).toBe('x');
  });

  it('runs the container action (the Dockerfile stage that starts the entry point)', () => {
    expect(metadata.runs).toEqual({ using: 'docker', image: 'Dockerfile' });
  });
});

describe('step outputs', () => {
  it('survive multi-line values and values that look like entries', () => {
    let count = 0;
    const text = formatOutputs({ a: 'one\ntwo', b: 'x<<EOF\ny' }, () => `ghadelimiter_${++count}`);
    expect(text).toBe('a<<ghadelimiter_1\none\ntwo\nghadelimiter_1\nb<<ghadelimiter_2\nx<<EOF\ny\nghadelimiter_2\n');
    expect(parseOutputs(text)).toEqual({ a: 'one\ntwo', b: 'x<<EOF\ny' });
  });

  it('refuse a value that holds its delimiter', () => {
    expect(() => formatOutputs({ a: 'ghadelimiter_1' }, () => 'ghadelimiter_1')).toThrow(/delimiter/);
  });
});

describe('the entry point as a process', () => {
  it('reads the environment and exits with the CLI status', async () => {
    const env = { ...process.env, ...githubEnv({ command: 'compose', ...example }) };
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [actionEntry], { env, cwd: repoRoot }, (error) => {
        resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1);
      });
    });
    expect(code).toBe(0);
    expect(parseOutputs(await readFile(join(github, 'output'), 'utf8'))['pipeline']).toBe('policy-pipeline.yml');
  });
});
