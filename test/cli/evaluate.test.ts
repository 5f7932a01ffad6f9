/**
 * `evaluate` in workspace mode, in-process: the example (a new critical SAST finding and a new
 * GPL dependency) end to end, the exit-code contract (0 clean, 1 violated, 2 bad input; an
 * invalid report is not bad input but a reason for fallback_behavior), the
 * outputs (--report golden, --junit) and fallback_behavior when there is no target pipeline.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';

const repo = resolve('.');
const EXAMPLE = ['--workspace', 'examples/workspace', '--project', 'acme/web', '--policy-project', 'security/policies', '--mr-target', 'main'];
const MR_REPORTS = ['--reports', 'examples/workspace/reports/mr'];
const MAIN_REPORTS = ['--target-reports', 'examples/workspace/reports/main'];

describe('evaluate the example workspace', () => {
  it('a new critical finding and a new GPL dependency: violated, exit 1, the report as expected', async () => {
    const out = await mkdtemp(join(tmpdir(), 'evaluate-'));
    const run = await runInProcess(['evaluate', ...EXAMPLE, ...MR_REPORTS, ...MAIN_REPORTS, '--report', join(out, 'report.json'), '--junit', join(out, 'junit.xml')], repo);
    expect([run.code, run.stderr]).toEqual([1, '']);
    expect(run.stdout).toContain("* critical sast: Improper neutralization of special elements used in an SQL command ('SQL Injection') (src/orders.js:42-44) [new]");
    expect(run.stdout).toContain('verdict: BLOCKED: approval required by policy');
    const expected = await readFile('test/fixtures/evaluate/example-new-critical/expected-report.json', 'utf8');
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe(expected);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('tests="2" failures="2" errors="0" skipped="0"');
  });

  it('the target branch against itself: nothing new, exit 0', async () => {
    const run = await runInProcess(['evaluate', ...EXAMPLE, '--reports', 'examples/workspace/reports/main', ...MAIN_REPORTS], repo);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('verdict: no approval policy is violated');
  });

  it('an MR to an unprotected branch: no policy applies, exit 0', async () => {
    const run = await runInProcess(['evaluate', ...EXAMPLE.slice(0, -1), 'feature/x', ...MR_REPORTS, ...MAIN_REPORTS], repo);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('does not apply: target branch feature/x is not protected');
  });

  it('no --target-reports: no target pipeline, so both policies fail closed (TARGET_PIPELINE_MISSING)', async () => {
    const run = await runInProcess(['evaluate', ...EXAMPLE, ...MR_REPORTS], repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('TARGET_PIPELINE_MISSING: no target-branch pipeline to compare with: newly detected findings cannot be told apart: approval required (fallback_behavior fail: closed)');
  });
});

describe('fallback and exit codes on a small workspace', () => {
  const policy = (fail: 'open' | 'closed', approvals = 1) => ({
    approval_policy: [
      {
        name: 'SAST gate',
        enabled: true,
        rules: [{ type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: [], vulnerability_states: [] }],
        actions: [{ type: 'require_approval', approvals_required: approvals, user_approvers_ids: [1] }],
        fallback_behavior: { fail },
      },
    ],
  });
  const workspace = (fail: 'open' | 'closed', approvals?: number) =>
    writeWorkspace({
      'workspace.yml': { projects: { 'grp/app': { id: 1, default_branch: 'main', protected_branches: ['main'] }, 'grp/policies': { id: 2 } } },
      'grp/app/README.md': 'app\n',
      'grp/policies/.gitlab/security-policies/policy.yml': policy(fail, approvals),
      'reports/mr/gl-dependency-scanning-report.json': readFileSync('examples/workspace/reports/mr/gl-dependency-scanning-report.json', 'utf8'),
      'reports/main/gl-sast-report.json': readFileSync('examples/workspace/reports/main/gl-sast-report.json', 'utf8'),
    });
  const args = (dir: string) => ['evaluate', '--workspace', dir, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(dir, 'reports/mr'), '--target-reports', join(dir, 'reports/main')];

  it.each([
    ['fail closed: the SAST report missing from the MR requires approval → exit 1', 'closed' as const, 1],
    ['fail open: the same rule is skipped → exit 0', 'open' as const, 0],
  ])('%s', async (_name, fail, code) => {
    const dir = await workspace(fail);
    const run = await runInProcess(args(dir), dir);
    expect(run.code).toBe(code);
    expect(run.stdout).toContain('SCAN_REMOVED: security reports required by the rule are missing from the source pipeline: sast');
  });

  it('approvals_required 0: violated but optional → exit 0', async () => {
    const dir = await workspace('closed', 0);
    const run = await runInProcess(args(dir), dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('verdict: violations found, approvals optional (approvals_required: 0)');
  });

  it.each([
    ['a missing --reports folder', ['--mr-target', 'main', '--reports', 'nowhere'], 'report folder nowhere does not exist or is not a folder'],
    ['no --reports', ['--mr-target', 'main'], '--reports is required'],
    ['no --mr-target', ['--reports', 'examples/workspace/reports/mr', '--mr-target', ''], '--mr-target is required'],
    // Folders are read at once, but errors come in the order of the options' checks, whichever read fails first.
    ['no --mr-target and a missing --reports folder', ['--reports', 'nowhere', '--mr-target', ''], '--mr-target is required'],
    ['missing --reports and --target-reports folders', ['--mr-target', 'main', '--reports', 'nowhere', '--target-reports', 'elsewhere'], 'report folder nowhere does not exist or is not a folder'],
    ['a missing --target-reports folder', ['--mr-target', 'main', '--reports', 'examples/workspace/reports/mr', '--target-reports', 'elsewhere'], 'report folder elsewhere does not exist or is not a folder'],
  ])('bad input (%s) → exit 2 with one message', async (_name, extra, message) => {
    const run = await runInProcess(['evaluate', '--workspace', 'examples/workspace', '--project', 'acme/web', ...extra], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('an unknown policy project and a missing --reports folder: the policy project is named, as before the folders were read at once (exit 3)', async () => {
    const run = await runInProcess(['evaluate', '--workspace', 'examples/workspace', '--project', 'acme/web', '--policy-project', 'nope/none', '--mr-target', 'main', '--reports', 'nowhere'], repo);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('security policy project nope/none was not found');
    expect(run.stderr).not.toContain('nowhere');
  });

  // Invalid reports follow fallback_behavior (test/fixtures/evaluate/invalid-reports-follow-fallback-behavior).
  it('an invalid report file does not stop evaluate: it is named, and with no policy needing it → exit 0', async () => {
    const dir = await writeWorkspace({
      'workspace.yml': { projects: { 'grp/app': { id: 1 } } },
      'grp/app/README.md': 'app\n',
      'reports/gl-sast-report.json': '{"version": ',
    });
    const run = await runInProcess(['evaluate', '--workspace', dir, '--project', 'grp/app', '--mr-target', 'main', '--reports', join(dir, 'reports'), '--allow-no-policies'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('policy-sidecar: WARNING: no security policy project was given or linked, so no policy is enforced\n');
    expect(run.stdout).toContain('  - source: gl-sast-report.json: not valid JSON: the file ends early (truncated?)');
  });
});
