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
 *   never from POLICY_SIDECAR_STORE or POLICY_SIDECAR_DATABASE_URL;
 * - default-branch records keep GitLab's pipeline order: a late pipeline of an older commit (a
 *   smaller pipeline id, GitLab's with --job) neither reopens a finding a newer commit fixed nor
 *   resolves one it introduced, and a CI_PIPELINE_ID claiming a newer pipeline fails the job.
 * Each case runs the real CLI process, in order, on one store (the order cases on a store of
 * their own, against a GitLab stand-in on 127.0.0.1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeJob, jobVariables, writeCheckout, writeJobEnvFile } from '../helpers/ci-job.js';
import { writeWorkspace } from '../helpers/temp-workspace.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { newPgliteStoreFolder } from '../store/store-backends.js';
import { repoRoot, runRealCli, succeeded } from './real-cli.js';

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

describe('attack: a late pipeline of an older default-branch commit overwriting newer findings', () => {
  const examples = join(repoRoot, 'examples/workspace');
  const TOKEN = 'glpat-attack-findings-order-0123';
  /** One GitLab stand-in per pipeline: each knows the one running job of its pipeline (GET /job). */
  const servers = new Map<number, ServedHandlers>();
  let checkout: string;
  let orderStore: string;

  beforeAll(async () => {
    for (const pipelineId of [99, 100, 101, 102]) {
      const job = composeJob({ id: pipelineId * 10 + 9, pipelineId, source: 'push', ref: 'main', token: `glcbt-64_findings-order-${pipelineId}` });
      servers.set(pipelineId, await serveHandlers((baseUrl) => gitlabHandlersFor(examples, { baseUrl, token: TOKEN, job })));
    }
    checkout = await writeCheckout(join(examples, 'acme/web'));
    orderStore = await newPgliteStoreFolder('attack-findings-order-');
  }, 180_000);

  afterAll(async () => {
    for (const server of servers.values()) await server.close();
  });

  /** policy:evaluate --job in the default branch's pipeline `pipelineId` (GitLab's GET /job), its reports from `reports`. */
  async function evaluateInPipeline(pipelineId: number, reports: string, extra: Record<string, string> = {}) {
    const server = servers.get(pipelineId);
    if (server === undefined) throw new Error(`no stand-in for pipeline ${pipelineId}`);
    const job = composeJob({ id: pipelineId * 10 + 9, pipelineId, source: 'push', ref: 'main', token: `glcbt-64_findings-order-${pipelineId}` });
    const envFile = await writeJobEnvFile(jobVariables(job, server.url, { POLICY_SIDECAR_TOKEN: TOKEN, ...extra }));
    return runRealCli(['evaluate', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--reports', join(root, reports), '--store', orderStore], { cwd: checkout });
  }
  const orderStates = async (): Promise<string[]> => {
    const list = succeeded(await cli(['findings', 'list', '--project', 'acme/web', '--format', 'json', '--store', orderStore]));
    return (JSON.parse(list.stdout) as { name: string; state: string }[]).map((finding) => `${finding.name.split(' ')[0] ?? ''} ${finding.state}`);
  };

  it('pipeline 100 finishing after 101 cannot reopen the finding 101 fixed', async () => {
    // Pipeline 99: both SAST findings. 101 (commit B fixes the SQL injection) records before 100 (commit A).
    succeeded(await evaluateInPipeline(99, 'main'));
    expect(succeeded(await evaluateInPipeline(101, 'target')).stdout).toContain('1 reported, 0 new, 0 reopened, 1 resolved');
    const late = await evaluateInPipeline(100, 'main');
    expect(late.code).toBe(0);
    expect(late.stderr).toBe('');
    expect(late.stdout).toBe('findings of pipeline 100 not recorded: pipeline 101 already recorded newer findings\n');
    expect(await orderStates()).toEqual(['Improper resolved', 'Use detected']);
  }, 180_000);

  it('a retried job of pipeline 101 after 102 cannot resolve the finding 102 brought back', async () => {
    expect(succeeded(await evaluateInPipeline(102, 'main')).stdout).toContain('2 reported, 0 new, 1 reopened, 0 resolved');
    const retried = await evaluateInPipeline(101, 'target');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toBe('findings of pipeline 101 not recorded: pipeline 102 already recorded newer findings\n');
    expect(await orderStates()).toEqual(['Improper detected', 'Use detected']);
  }, 180_000);

  it('a CI_PIPELINE_ID claiming a newer pipeline fails the job of pipeline 100, and writes nothing', async () => {
    const before = await orderStates();
    const forged = await evaluateInPipeline(100, 'target', { CI_PIPELINE_ID: '999' });
    expect(forged.code).toBe(2);
    expect(forged.stderr).toContain('CI_PIPELINE_ID is "999" in the job\'s variables, but GitLab says 100');
    expect(forged.stdout).not.toContain('recorded');
    expect(await orderStates()).toEqual(before);
  }, 180_000);
});
