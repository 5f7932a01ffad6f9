/**
 * `evaluate` with a policy store, through the CLI in-process (docs/store.md "evaluate with a
 * store"): default-branch pipelines record their findings, people decide with `findings`, and a
 * merge request's verdict uses the recorded states. On a PGlite folder and a PostgreSQL server;
 * one store per backend for the file, filled in order.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';
import { BACKENDS, backendSkip, cliStoreFlags } from '../store/store-backends.js';

const MR_SAST = readFileSync('examples/workspace/reports/mr/gl-sast-report.json', 'utf8');
const MAIN_SAST = readFileSync('examples/workspace/reports/main/gl-sast-report.json', 'utf8');
const DS = readFileSync('examples/workspace/reports/main/gl-dependency-scanning-report.json', 'utf8');
const EMPTY_DS = JSON.stringify({ ...(JSON.parse(DS) as Record<string, unknown>), vulnerabilities: [] });

const sastRule = (states: string[]) => ({ type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: [], vulnerability_states: states });
const policy = (name: string, states: string[]) => ({ name, enabled: true, rules: [sastRule(states)], actions: [{ type: 'require_approval', approvals_required: 1, user_approvers_ids: [1] }] });

/** grp/app merging into its default branch main; every folder of reports the story needs. */
export function storyWorkspace(): Promise<string> {
  return writeWorkspace({
    'workspace.yml': { projects: { 'grp/app': { id: 278964, default_branch: 'main', protected_branches: ['main', 'develop'] }, 'grp/policies': { id: 2 } } },
    'grp/app/README.md': 'app\n',
    'grp/policies/.gitlab/security-policies/policy.yml': {
      approval_policy: [
        policy('New needs triage', ['new_needs_triage']),
        policy('New dismissed', ['new_dismissed']),
        policy('Detected on main', ['detected']),
        policy('Dismissed on main', ['dismissed']),
      ],
    },
    // Default-branch pipeline 1: the SQL injection and the PRNG (SAST), minimist (dependency scanning).
    'main-1/gl-sast-report.json': MR_SAST,
    'main-1/gl-dependency-scanning-report.json': DS,
    // Pipeline 2: the SQL injection is gone; dependency scanning did not run.
    'main-2/gl-sast-report.json': MAIN_SAST,
    // Pipeline 3: minimist is fixed.
    'main-3/gl-sast-report.json': MAIN_SAST,
    'main-3/gl-dependency-scanning-report.json': EMPTY_DS,
    // The merge request brings the SQL injection back.
    'mr/gl-sast-report.json': MR_SAST,
    'mr/gl-dependency-scanning-report.json': EMPTY_DS,
  });
}

interface Recorded {
  identity: string;
  name: string;
  state: string;
  reportType: string;
  stateReason: string | null;
}

interface Verdicts {
  policies: { name: string; violated: boolean }[];
}

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`evaluate with a store on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    let dir: string;
    let storeFlags: string[];
    const cli = (...argv: string[]) => runInProcess([...argv, ...storeFlags], dir);
    const base = () => ['--workspace', dir, '--project', 'grp/app', '--policy-project', 'grp/policies'];
    // Default-branch pipelines 1, 2, 3 record in GitLab's order (main-1 is pipeline 1...).
    const onMain = (reports: string) => cli('evaluate', ...base(), '--branch', 'main', '--reports', join(dir, reports), '--pipeline-id', reports.replace('main-', ''));
    const recorded = async (): Promise<Recorded[]> => JSON.parse((await cli('findings', 'list', '--project', 'grp/app', '--format', 'json')).stdout) as Recorded[];
    const stateOf = async (): Promise<Record<string, string>> => Object.fromEntries((await recorded()).map((finding) => [finding.name.split(' ')[0] ?? '', finding.state]));
    const mergeRequest = async (flags: string[]) => {
      const report = join(dir, `verdict-${Math.random().toString(36).slice(2)}.json`);
      const run = await runInProcess(['evaluate', ...base(), '--mr-target', 'main', '--reports', join(dir, 'mr'), '--target-reports', join(dir, 'main-3'), '--report', report, ...flags], dir);
      const verdicts = JSON.parse(await readFile(report, 'utf8')) as Verdicts;
      return { run, violated: Object.fromEntries(verdicts.policies.map((entry) => [entry.name, entry.violated])) };
    };

    beforeAll(async () => {
      dir = await storyWorkspace();
      storeFlags = await cliStoreFlags(name, 'evaluate-store-');
    }, 180_000);

    it('a default-branch evaluate records the pipeline\'s findings as detected', async () => {
      const run = await onMain('main-1');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        'findings of main (default branch) recorded in the policy store: 3 reported, 3 new, 0 reopened, 0 resolved\n' +
          'resolved only where the report is complete: dependency_scanning, sast\n',
      );
      expect(await stateOf()).toEqual({ Improper: 'detected', Use: 'detected', minimist: 'detected' });
    }, 180_000);

    it('a finding dismissed, then gone from the default branch, stays dismissed; a missing report resolves nothing of its type', async () => {
      const sqli = (await recorded()).find((finding) => finding.name.startsWith('Improper'));
      const dismissed = await cli('findings', 'dismiss', '--project', 'grp/app', sqli?.identity ?? '', '--reason', 'input is a fixed enum');
      expect(dismissed.code).toBe(0);
      expect(dismissed.stdout).toContain(`${sqli?.identity ?? ''}: detected -> dismissed (sast, critical: Improper neutralization`);
      const run = await onMain('main-2');
      expect(run.stdout).toContain('1 reported, 0 new, 0 reopened, 0 resolved');
      expect(run.stdout).toContain('resolved only where the report is complete: sast\n');
      expect(await stateOf()).toEqual({ Improper: 'dismissed', Use: 'detected', minimist: 'detected' });
      expect((await recorded()).find((finding) => finding.name.startsWith('Improper'))?.stateReason).toBe('input is a fixed enum');
    }, 180_000);

    it('a second default-branch run with one finding fixed marks it resolved', async () => {
      const run = await onMain('main-3');
      expect(run.stdout).toContain('1 reported, 0 new, 0 reopened, 1 resolved');
      expect(await stateOf()).toEqual({ Improper: 'dismissed', Use: 'detected', minimist: 'resolved' });
      const table = await cli('findings', 'list', '--project', 'grp/app', '--state', 'resolved');
      expect(table.stdout.split('\n')[0]).toMatch(/^ID +STATE +SEVERITY +SCANNER +NAME +FIRST SEEN +LAST SEEN +REASON$/);
      expect(table.stdout).toContain('minimist Prototype Pollution');
      expect(table.stdout).not.toContain('Improper');
    }, 180_000);

    it('a late pipeline older than the last recorded one changes nothing and says so; exit 0', async () => {
      const before = await recorded();
      // Pipeline 1's reports again (minimist still there), after pipeline 3 recorded it fixed.
      const run = await cli('evaluate', ...base(), '--branch', 'main', '--reports', join(dir, 'main-1'), '--pipeline-id', '1');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('findings of pipeline 1 not recorded: pipeline 3 already recorded newer findings\n');
      expect(await recorded()).toEqual(before);
      // CI_PIPELINE_ID when --pipeline-id is not given: the same rule.
      const fromVariable = await runInProcess(['evaluate', ...base(), '--branch', 'main', '--reports', join(dir, 'main-1'), ...storeFlags], dir, { CI_PIPELINE_ID: '2' });
      expect(fromVariable.stdout).toBe('findings of pipeline 2 not recorded: pipeline 3 already recorded newer findings\n');
      expect(await recorded()).toEqual(before);
    }, 180_000);

    it('a pipeline id that is not one records nothing and warns; exit 0', async () => {
      const before = await recorded();
      const run = await cli('evaluate', ...base(), '--branch', 'main', '--reports', join(dir, 'main-1'), '--pipeline-id', '1e9');
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('policy-sidecar: WARNING: findings not recorded in the policy store: pipeline id "1e9" is not a GitLab pipeline id\n');
      expect(run.stdout).toBe('');
      expect(await recorded()).toEqual(before);
    }, 180_000);

    it('a pipeline of another branch writes nothing', async () => {
      const before = await recorded();
      const run = await cli('evaluate', ...base(), '--branch', 'develop', '--reports', join(dir, 'main-1'));
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('branch develop is not the default branch (main): no finding recorded\n');
      expect(await recorded()).toEqual(before);
    }, 180_000);

    it('the merge request: the dismissed finding it brings back passes new_needs_triage, counts for new_dismissed and dismissed; detected counts the store\'s', async () => {
      const before = await recorded();
      const withStore = await mergeRequest(storeFlags);
      expect(withStore.violated).toEqual({ 'New needs triage': false, 'New dismissed': true, 'Detected on main': true, 'Dismissed on main': true });
      expect(withStore.run.stdout).toContain('1 newly detected finding dismissed in the policy store: not counted (new_needs_triage only)');
      // Without the store the reports carry no state: the SQL injection needs triage, nothing is detected or dismissed.
      const without = await mergeRequest([]);
      expect(without.violated).toEqual({ 'New needs triage': true, 'New dismissed': false, 'Detected on main': false, 'Dismissed on main': false });
      // A merge request pipeline reads the store, never writes it.
      expect(await recorded()).toEqual(before);
    }, 180_000);

    it('reopen makes a finding detected again; an unknown id is an error and changes nothing', async () => {
      const sqli = (await recorded()).find((finding) => finding.name.startsWith('Improper'));
      const unknown = await cli('findings', 'confirm', '--project', 'grp/app', sqli?.identity ?? '', 'no-such-finding');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('the policy store has no finding no-such-finding recorded for grp/app');
      expect(await stateOf()).toMatchObject({ Improper: 'dismissed' });
      expect((await cli('findings', 'reopen', '--project', 'grp/app', sqli?.identity ?? '')).code).toBe(0);
      expect(await stateOf()).toMatchObject({ Improper: 'detected' });
      const verdict = await mergeRequest(storeFlags);
      expect(verdict.violated['New needs triage']).toBe(true);
    }, 180_000);
  });
}

describe('evaluate with a store that cannot be reached', () => {
  it('warns, and the verdict is the one without a store', async () => {
    const dir = await storyWorkspace();
    const flags = ['--workspace', dir, '--project', 'grp/app', '--policy-project', 'grp/policies', '--mr-target', 'main', '--reports', join(dir, 'mr'), '--target-reports', join(dir, 'main-3')];
    const without = await runInProcess(['evaluate', ...flags], dir);
    const unreachable = await runInProcess(['evaluate', ...flags, '--database-url', 'postgres://nobody@127.0.0.1:1/none'], dir);
    expect(unreachable.stderr).toMatch(/^policy-sidecar: WARNING: policy store not opened, evaluating without it: /);
    expect(unreachable.code).toBe(without.code);
    expect(unreachable.stdout).toBe(without.stdout);
    const branch = await runInProcess(['evaluate', '--workspace', dir, '--project', 'grp/app', '--branch', 'main', '--reports', join(dir, 'main-1'), '--database-url', 'postgres://nobody@127.0.0.1:1/none'], dir);
    expect(branch.code).toBe(0);
    expect(branch.stderr).toContain('policy store not opened');
  }, 180_000);

  it('without a pipeline id a default-branch pipeline records, with a warning that the order is not checked', async () => {
    const dir = await storyWorkspace();
    const store = ['--store', join(dir, 'store')];
    const run = await runInProcess(['evaluate', '--workspace', dir, '--project', 'grp/app', '--branch', 'main', '--reports', join(dir, 'main-1'), ...store], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'policy-sidecar: WARNING: no pipeline id (--job, --pipeline-id or CI_PIPELINE_ID): findings recorded without checking that a newer pipeline recorded none\n',
    );
    expect(run.stdout).toContain('3 reported, 3 new, 0 reopened, 0 resolved');
  }, 180_000);

  it('--branch without a store is refused: its only output is what it records', async () => {
    const dir = await storyWorkspace();
    const run = await runInProcess(['evaluate', '--workspace', dir, '--project', 'grp/app', '--branch', 'main', '--reports', join(dir, 'main-1')], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('evaluate on a branch pipeline records its findings in the policy store');
  });
});
