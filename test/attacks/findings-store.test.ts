/**
 * Attacks on the default-branch findings in the policy store (docs/store.md "finding"). Whoever
 * controls a project's pipeline (its jobs, its variables, its merge requests) must not be able to
 * make the store forget a finding or pick a store where findings are dismissed, since dismissed
 * and resolved findings stop counting for approval policies:
 * - a merge request pipeline only reads the store, so a branch that drops a scan or a finding
 *   changes no state;
 * - on the default branch a scan that was refused (invalid report) or failed resolves nothing of
 *   its type: only a complete report says a finding is gone;
 * - evaluate reads the store's location from its flags only (the component compiles them in),
 *   never from POLICY_SIDECAR_STORE or POLICY_SIDECAR_DATABASE_URL.
 * Each case runs the real CLI process, in order, on one store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorkspace } from '../helpers/temp-workspace.js';
import { newPgliteStoreFolder } from '../store/store-backends.js';
import { runRealCli, succeeded } from './real-cli.js';

const MR_SAST = readFileSync('examples/workspace/reports/mr/gl-sast-report.json', 'utf8');
const MAIN_SAST = readFileSync('examples/workspace/reports/main/gl-sast-report.json', 'utf8');
const FAILED_SAST = (() => {
  const report = JSON.parse(MR_SAST) as { scan: Record<string, unknown>; vulnerabilities: unknown[] };
  return JSON.stringify({ ...report, scan: { ...report.scan, status: 'failure' }, vulnerabilities: [] });
})();
const EMPTY_SAST = JSON.stringify({ ...(JSON.parse(MR_SAST) as Record<string, unknown>), vulnerabilities: [] });

const triage = {
  approval_policy: [
    {
      name: 'New needs triage',
      enabled: true,
      rules: [{ type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: [], vulnerability_states: ['new_needs_triage'] }],
      actions: [{ type: 'require_approval', approvals_required: 1, user_approvers_ids: [1] }],
    },
  ],
};

let root: string;
let store: string;
const cli = (args: readonly string[], env: Record<string, string> = {}) => runRealCli(args, { cwd: root, env });
const onMain = (reports: string) => cli(['evaluate', '--workspace', root, '--project', 'grp/app', '--branch', 'main', '--reports', join(root, reports), '--store', store]);
const states = async (): Promise<string[]> => {
  const list = succeeded(await cli(['findings', 'list', '--project', 'grp/app', '--format', 'json', '--store', store]));
  return (JSON.parse(list.stdout) as { name: string; state: string }[]).map((finding) => `${finding.name.split(' ')[0] ?? ''} ${finding.state}`);
};

beforeAll(async () => {
  root = await writeWorkspace({
    'workspace.yml': { projects: { 'grp/app': { id: 278964, default_branch: 'main', protected_branches: ['main'] }, 'grp/policies': { id: 2 } } },
    'grp/app/README.md': 'app\n',
    'grp/policies/.gitlab/security-policies/policy.yml': triage,
    'main/gl-sast-report.json': MR_SAST,
    'truncated/gl-sast-report.json': MR_SAST.slice(0, 300),
    'failed/gl-sast-report.json': FAILED_SAST,
    'dropped/gl-sast-report.json': EMPTY_SAST,
    // The merge request's SQL injection is new to the target branch, which has only the PRNG finding.
    'mr/gl-sast-report.json': MR_SAST,
    'target/gl-sast-report.json': MAIN_SAST,
  });
  // A copy of an empty store: the CLI skips PGlite's initdb and still applies every migration.
  store = await newPgliteStoreFolder('attack-findings-');
  succeeded(await onMain('main'));
}, 120_000);

describe('attack: making the store forget or dismiss findings', () => {
  it('an invalid SAST report on the default branch resolves no SAST finding', async () => {
    const run = succeeded(await onMain('truncated'));
    expect(run.stdout).toContain('resolved only where the report is complete: no report type');
    expect(await states()).toEqual(['Improper detected', 'Use detected']);
  }, 120_000);

  it('a failed SAST scan on the default branch resolves no SAST finding', async () => {
    const run = succeeded(await onMain('failed'));
    expect(run.stdout).toContain('0 resolved');
    expect(await states()).toEqual(['Improper detected', 'Use detected']);
  }, 120_000);

  it('a merge request pipeline that drops every finding changes no state', async () => {
    const run = await cli(['evaluate', '--workspace', root, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(root, 'dropped'), '--target-reports', join(root, 'mr'), '--store', store]);
    expect(run.code).toBe(0);
    expect(await states()).toEqual(['Improper detected', 'Use detected']);
  }, 120_000);

  it('POLICY_SIDECAR_STORE naming a store where the finding is dismissed is not read: the merge request still needs approval', async () => {
    const list = JSON.parse(succeeded(await cli(['findings', 'list', '--project', 'grp/app', '--format', 'json', '--store', store])).stdout) as { identity: string; name: string }[];
    const sqli = list.find((finding) => finding.name.startsWith('Improper'))?.identity ?? '';
    succeeded(await cli(['findings', 'dismiss', '--project', 'grp/app', sqli, '--reason', 'the project says so', '--store', store]));
    const mr = ['evaluate', '--workspace', root, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(root, 'mr'), '--target-reports', join(root, 'target')];
    const fromVariables = await cli(mr, { POLICY_SIDECAR_STORE: store, POLICY_SIDECAR_DATABASE_URL: 'postgres://project@127.0.0.1:1/theirs' });
    expect(fromVariables.code).toBe(1);
    expect(fromVariables.stdout).not.toContain('policy store');
    // The same store given as the flag (the platform's choice) is read: the dismissal decides.
    const fromFlag = await cli([...mr, '--store', store]);
    expect(fromFlag.code).toBe(0);
    expect(fromFlag.stdout).toContain('1 newly detected finding dismissed in the policy store: not counted (new_needs_triage only)');
  }, 120_000);
});
