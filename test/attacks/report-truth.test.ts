/**
 * Attack (issue #10 item 9): with the shipped templates, a scan execution policy "applied" while
 * no scan job ran in merge request pipelines. Through the real CLI process (compose in workspace
 * mode, as `policy:compose` runs it) on the example workspace: per pipeline kind the scan jobs the
 * composed pipeline holds, and where a policy's jobs all drop out by rules, every output (report
 * JSON, explain, JUnit, the compose summary) says "applied, no jobs" with the rule that dropped
 * them, never just "applied".
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runRealCli, succeeded } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');

interface ComposedReport {
  readonly jobs: readonly { readonly name: string; readonly origin: string }[];
  readonly policies: readonly { readonly name: string; readonly type: string; readonly applied: boolean; readonly outcome: string; readonly reason: string; readonly droppedBy: readonly string[] }[];
  readonly scanActions: readonly { readonly scan: string; readonly outcome: string; readonly jobs: readonly string[]; readonly droppedBy: readonly string[] }[];
}

async function cli(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return succeeded(await runRealCli(args, { cwd: repoRoot }));
}

/** compose with --report, --junit and --summary; `workspace` defaults to the example. */
async function compose(context: readonly string[], workspace = examples) {
  const out = await mkdtemp(join(tmpdir(), 'report-truth-'));
  const files = { pipeline: join(out, 'policy-pipeline.yml'), report: join(out, 'policy-report.json'), junit: join(out, 'policy-junit.xml') };
  const args = ['compose', '--workspace', workspace, '--project', 'acme/web', '--policy-project', 'security/policies', ...context];
  const { stderr } = await cli([...args, '--out', files.pipeline, '--report', files.report, '--junit', files.junit, '--summary']);
  const report = JSON.parse(await readFile(files.report, 'utf8')) as ComposedReport;
  return { report, junit: await readFile(files.junit, 'utf8'), summary: stderr, scanJobs: report.jobs.filter((job) => job.origin === 'scan-policy').map((job) => job.name), args };
}

const ALL_SCANS = ['secret-detection-0', 'semgrep-sast-1', 'gemnasium-dependency-scanning-2', 'container-scanning-3'];
const SAST_POLICY = 'SAST and dependency scanning on the default branch';
const SECRET_POLICY = 'Secret detection on every branch';

describe('which pipelines scan (the example policies, the shipped scan templates)', () => {
  it.each([
    ['branch pipeline (push on main)', ['--branch', 'main'], ALL_SCANS],
    ['merge request pipeline (feature/x into main): the branch-wide policy scans here', ['--source', 'merge_request_event', '--branch', 'feature/x', '--mr-target', 'main'], ['secret-detection-0']],
    ['tag pipeline: scan execution policies never apply to tags (as in GitLab)', ['--tag', 'v1.0.0'], []],
    ['scheduled pipeline on main', ['--source', 'schedule', '--branch', 'main'], ALL_SCANS],
  ])('%s', async (_kind, context, expected) => {
    const { scanJobs, report } = await compose(context);
    expect(scanJobs).toEqual(expected);
    // Whatever the kind, no scan execution policy is "applied" without a job in the pipeline.
    for (const policy of report.policies.filter((entry) => entry.type === 'scan_execution_policy')) {
      if (policy.outcome === 'applied') expect(report.scanActions.some((action) => action.jobs.length > 0)).toBe(true);
    }
  });

  it('tag pipeline: the report says why no scan execution policy applied', async () => {
    const { report } = await compose(['--tag', 'v1.0.0']);
    const secret = report.policies.find((policy) => policy.name === SECRET_POLICY);
    expect(secret).toMatchObject({ applied: false, outcome: 'not-applied' });
    expect(secret?.reason).toMatch(/tag/);
  });

  it('merge request pipeline: a default-branch policy is not applied, and says so', async () => {
    const { report } = await compose(['--source', 'merge_request_event', '--branch', 'feature/x', '--mr-target', 'main']);
    expect(report.policies.find((policy) => policy.name === SAST_POLICY)).toMatchObject({ applied: false, outcome: 'not-applied' });
  });

  it('a project CI/CD variable AST_ENABLE_MR_PIPELINES=false cannot move the scan out of the merge request pipeline', async () => {
    const { scanJobs } = await compose(['--source', 'merge_request_event', '--branch', 'feature/x', '--mr-target', 'main', '--var', 'AST_ENABLE_MR_PIPELINES=false']);
    expect(scanJobs).toEqual(['secret-detection-0']);
  });
});

describe('a policy whose jobs all drop out by rules is "applied, no jobs", in every output', () => {
  it('merge request pipeline, the policy keeps secret detection in branch pipelines (GitLab\'s default): no scan job, and every output says so with the rule', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'report-truth-ws-'));
    await cp(examples, workspace, { recursive: true });
    const policyFile = join(workspace, 'security/policies/.gitlab/security-policies/policy.yml');
    const text = await readFile(policyFile, 'utf8');
    await writeFile(policyFile, text.replace('      - scan: secret_detection\n', '      - scan: secret_detection\n        variables:\n          AST_ENABLE_MR_PIPELINES: "false"\n'));
    const mr = ['--source', 'merge_request_event', '--branch', 'feature/x', '--mr-target', 'main'];
    const { report, junit, summary, scanJobs, args } = await compose(mr, workspace);

    expect(scanJobs).toEqual([]);
    const secret = report.policies.find((policy) => policy.name === SECRET_POLICY);
    expect(secret).toMatchObject({ applied: true, outcome: 'applied-no-jobs' });
    expect(secret?.droppedBy).toEqual([expect.stringMatching(/^secret-detection-0: .*no rule matched .*rule 3 if: \$CI_COMMIT_BRANCH\)$/)]);
    expect(report.scanActions[0]).toMatchObject({ scan: 'secret_detection', outcome: 'applied-no-jobs', jobs: [] });

    expect(junit).toMatch(/<testcase classname="security\/policies" name="Secret detection on every branch \(scan_execution_policy #0\)">\n\s+<skipped message="applied, no jobs: [^"]*if: \$CI_COMMIT_BRANCH\)"/);
    expect(summary).toContain('1 applied with no jobs (all left out by rules): "Secret detection on every branch"');

    const { stdout: explained } = await cli(['explain', ...args.slice(1)]);
    expect(explained).toMatch(/ {2}applied, no jobs {2}"Secret detection on every branch" \(scan_execution_policy/);
    expect(explained).toMatch(/\n {6}no job: secret-detection-0: .*if: \$CI_COMMIT_BRANCH\)/);
    expect(explained).not.toMatch(/ {2}applied {10}"Secret detection on every branch"/);
  });
});
