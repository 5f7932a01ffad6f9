/**
 * Attack: a project sets `GIT_STRATEGY=none` (or `GIT_CHECKOUT=false`) as a CI/CD or pipeline
 * variable. GitLab Runner reads it before the script and, in a child pipeline, it outranks the
 * policy's YAML, so the policy or scan job would start in an empty or stale folder and pass
 * having checked nothing. Policy and scan jobs first compare `.git/HEAD` with the pipeline's SHA,
 * written literally at compose time, using shell builtins only (src/compose/enforce/checkout-check.ts).
 * The composed job's shell runs here in dash, bash and busybox ash (alpine's `sh`), in the folder the
 * runner would leave.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeAppWeb, JOB_SHELLS, mainShellLines, PIPELINE_SHA, pipelinePolicy, POLICY_CI, POLICY_FILE, runJobShell, scanPolicy } from './policy-job-workspace.js';

const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', GIT_STRATEGY: 'none' };
const REFUSAL = /policy-sidecar: the working folder is not a checkout of the pipeline's commit 8d3c9b0e/;

async function folder(files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'builds-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

// Composed once per variables, shared by the shells (the CLI process takes seconds on a busy box).
const composed = new Map<string, Promise<string[]>>();

function composedPolicyJob(variables: Record<string, string> = {}): Promise<string[]> {
  const key = JSON.stringify(variables);
  const cached = composed.get(key) ?? composePolicyJob(variables);
  composed.set(key, cached);
  return cached;
}

async function composePolicyJob(variables: Record<string, string>): Promise<string[]> {
  const run = await composeAppWeb(
    {
      [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] },
      [POLICY_CI]: { 'policy-check': { stage: '.pipeline-policy-pre', variables, script: ['echo policy-check ran'] } },
    },
    ['--sha', PIPELINE_SHA, '--var', 'GIT_STRATEGY=none'],
  );
  expect(run.code, run.stderr).toBe(0);
  return mainShellLines(run.jobs['policy-check']);
}

describe('attack: GIT_STRATEGY=none leaves a policy job without the pipeline checkout', () => {
  for (const shell of JOB_SHELLS) {
    it(`${shell.join(' ')}: the policy job fails closed in an empty folder, before its own commands`, async () => {
      const result = await runJobShell(shell, await composedPolicyJob(), await folder(), ENV);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(REFUSAL);
      expect(result.stdout).not.toContain('policy-check ran');
    });

    it(`${shell.join(' ')}: a stale checkout of another commit fails closed too`, async () => {
      const stale = await folder({ '.git/HEAD': '0123456789abcdef0123456789abcdef01234567\n', 'app.py': 'x' });
      const result = await runJobShell(shell, await composedPolicyJob(), stale, ENV);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(REFUSAL);
    });

    it(`${shell.join(' ')}: the runner's detached checkout at the pipeline's SHA runs the job`, async () => {
      const result = await runJobShell(shell, await composedPolicyJob(), await folder({ '.git/HEAD': `${PIPELINE_SHA}\n` }), ENV);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('policy-check ran');
    });
  }

  it('a branch checkout (symbolic HEAD) at the pipeline SHA runs the job; PATH cannot fake the check', async () => {
    const checkout = await folder({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${PIPELINE_SHA}\n` });
    const evilBin = await folder({ '[': '#!/bin/sh\nexit 0\n', read: '#!/bin/sh\nexit 0\n' });
    const result = await runJobShell('/usr/bin/dash', await composedPolicyJob(), checkout, { ...ENV, PATH: `${evilBin}:${ENV.PATH}` });
    expect(result.code, result.stderr).toBe(0);
    const empty = await runJobShell('/usr/bin/dash', await composedPolicyJob(), await folder(), { ...ENV, PATH: `${evilBin}:${ENV.PATH}` });
    expect(empty.code).toBe(1);
  });

  it("a policy job whose own YAML sets GIT_STRATEGY: none is not checked (it asked for no checkout)", async () => {
    const result = await runJobShell('/usr/bin/dash', await composedPolicyJob({ GIT_STRATEGY: 'none' }), await folder(), ENV);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('policy-check ran');
  });

  it('a scan job fails closed in an empty folder too', async () => {
    const run = await composeAppWeb({ [POLICY_FILE]: { scan_execution_policy: [scanPolicy([{ scan: 'secret_detection' }])] } }, [
      '--sha',
      PIPELINE_SHA,
      '--var',
      'GIT_STRATEGY=none',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = await runJobShell('/usr/bin/dash', mainShellLines(run.jobs['secret-detection-0']), await folder(), ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(REFUSAL);
  });
});
