/**
 * Attack (issue #10 item 10): a project that controls its `.gitlab-ci.yml`, repository and CI/CD
 * variables makes `evaluate` read a clean security report of its own instead of the policy's
 * scan. Each case runs the real CLI process against a GitLab stand-in on 127.0.0.1 (the msw
 * handlers of test/http over real HTTP), as the `policy:evaluate` job runs it in a merge request
 * pipeline, and states the expected outcome: still blocked, or the missing scan judged by the
 * policy (`fallback_behavior: closed` in examples/workspace) and said in the output.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import {
  fakeComposeReport,
  latestPipelineHandler,
  membersHandler,
  mergeRequestGateHandlers,
  mergeRequestHandler,
  newMergeRequestState,
  pipelineArtifactHandlers,
  type FakeScanAction,
} from '../http/gitlab-merge-request-gate.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli, succeeded } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-attack-0123456789abcdef';
const PROJECT_ID = 101; // acme/web
const IID = 7;
const MR_PIPELINE = 300;
const TARGET_PIPELINE = 200;

const report = (branch: string, file: string): string => readFileSync(join(examples, 'reports', branch, file), 'utf8');
/** A valid SAST report that found nothing: what a project job would write to look clean. */
const CLEAN_SAST = JSON.stringify({ ...(JSON.parse(report('mr', 'gl-sast-report.json')) as Record<string, unknown>), vulnerabilities: [] });

const SAST_ACTION: FakeScanAction = { policy: 'SAST and dependency scanning on the default branch', action: 0, scan: 'sast', jobs: ['semgrep-sast-1'] };
const SAST_DROPPED: FakeScanAction = {
  ...SAST_ACTION,
  jobs: [],
  excluded: [{ name: 'semgrep-sast-1', reason: 'scan execution policy "SAST and dependency scanning on the default branch", sast action (index 1): no rule matched' }],
};

const servers: ServedHandlers[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

interface PipelineLayout {
  /** The parent pipeline's compose report; undefined: no policy:compose job. */
  readonly composeReport: unknown;
  /** Jobs of the composed child pipeline, each with the report file it wrote. */
  readonly childJobs: readonly { readonly name: string; readonly file: string; readonly text: string }[];
}

/** A GitLab stand-in with the merge request pipeline and the target branch's pipeline laid out so. */
async function standIn(mr: PipelineLayout, target: PipelineLayout) {
  const pipelines = (api: string, id: number, layout: PipelineLayout) => [
    ...pipelineArtifactHandlers(api, PROJECT_ID, id, {}, id * 10, {
      ...(layout.composeReport === undefined ? {} : { composeReport: layout.composeReport }),
      bridges: [{ name: 'policy:pipeline', downstream: { id: id + 1, projectId: PROJECT_ID } }],
    }),
    ...pipelineArtifactHandlers(api, PROJECT_ID, id + 1, {}, (id + 1) * 10, { child: true, reportJobs: layout.childJobs }),
  ];
  const served = await serveHandlers((baseUrl) => {
    const api = `${baseUrl}/api/v4`;
    return [
      // Outside a --job run the merge request's head pipeline is the one judged.
      mergeRequestHandler({ apiUrl: api, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, MR_PIPELINE),
      ...mergeRequestGateHandlers({ apiUrl: api, projectId: PROJECT_ID, iid: IID, targetBranch: 'main', premium: false, state: newMergeRequestState() }),
      membersHandler(api, PROJECT_ID, [{ id: 5, access_level: 40 }]),
      latestPipelineHandler(api, PROJECT_ID, 'main', TARGET_PIPELINE),
      ...pipelines(api, MR_PIPELINE, mr),
      ...pipelines(api, TARGET_PIPELINE, target),
      ...gitlabHandlersFor(examples, { baseUrl, token: TOKEN }),
    ];
  });
  servers.push(served);
  return served;
}

async function evaluate(serverUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: tmpdir(),
    POLICY_SIDECAR_TOKEN: TOKEN,
  };
  // Terminal flags: the facts of a --job run come from GET /job (test/attacks/job-facts.test.ts).
  const args = ['evaluate', '--gitlab-url', serverUrl, '--project', 'acme/web', '--mr-iid', String(IID), '--policy-project', 'security/policies'];
  return runRealCli(args, { cwd: repoRoot, env });
}

/** The target branch as it should be: the scan job wrote main's report. */
const HONEST_TARGET: PipelineLayout = {
  composeReport: fakeComposeReport({ scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
  childJobs: [{ name: 'semgrep-sast-1', file: 'gl-sast-report.json', text: report('main', 'gl-sast-report.json') }],
};

describe('attack: fake security reports in the merge request pipeline', () => {
  it('a project job writes a clean gl-sast-report.json beside the real scan job, whose report has a critical finding: still blocked', async () => {
    const gitlab = await standIn(
      {
        composeReport: fakeComposeReport({ project: ['unit-tests'], scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
        childJobs: [
          { name: 'unit-tests', file: 'gl-sast-report.json', text: CLEAN_SAST },
          { name: 'semgrep-sast-1', file: 'gl-sast-report.json', text: report('mr', 'gl-sast-report.json') },
        ],
      },
      HONEST_TARGET,
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ignored, not written by a policy job: unit-tests/gl-sast-report.json');
    expect(result.stdout).toContain('1 newly detected finding > vulnerabilities_allowed 0');
    expect(result.stdout).toContain('verdict: BLOCKED');
    // unit-tests is the child's first job: its artifact was never downloaded.
    expect(gitlab.requests.some((request) => request.includes(`/jobs/${(MR_PIPELINE + 1) * 10}/artifacts/`))).toBe(false);
  });

  it('a project job named `sast` in the child pipeline (a name no scan job has): its clean report is ignored', async () => {
    const gitlab = await standIn(
      {
        composeReport: fakeComposeReport({ project: ['sast'], scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
        childJobs: [
          { name: 'sast', file: 'gl-sast-report.json', text: CLEAN_SAST },
          { name: 'semgrep-sast-1', file: 'gl-sast-report.json', text: report('mr', 'gl-sast-report.json') },
        ],
      },
      HONEST_TARGET,
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ignored, not written by a policy job: sast/gl-sast-report.json');
    expect(result.stdout).toContain('verdict: BLOCKED');
  });

  it('no scan job ran (the action applied, its jobs dropped by rules) but a project report exists: not passed, the missing scan is judged by fallback_behavior', async () => {
    const gitlab = await standIn(
      {
        composeReport: fakeComposeReport({ project: ['lint'] }, [SAST_DROPPED]),
        childJobs: [{ name: 'lint', file: 'gl-sast-report.json', text: CLEAN_SAST }],
      },
      HONEST_TARGET,
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('missing sast report: scan execution policy "SAST and dependency scanning on the default branch" action 0 (sast): applied, no jobs: semgrep-sast-1:');
    expect(result.stdout).toMatch(/SCAN_REMOVED: security reports required by the rule are missing from the source pipeline: sast/);
    expect(result.stdout).toContain('approval required (fallback_behavior fail: closed)');
    expect(result.stdout).not.toContain('verdict: no approval policy is violated');
  });

  it('the scan job ran but wrote no report, and a project job wrote one: the scan is missing, not passed', async () => {
    const gitlab = await standIn(
      {
        composeReport: fakeComposeReport({ project: ['lint'], scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
        childJobs: [{ name: 'lint', file: 'gl-sast-report.json', text: CLEAN_SAST }],
      },
      HONEST_TARGET,
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('missing sast report: scan execution policy "SAST and dependency scanning on the default branch" action 0 (sast): no report from semgrep-sast-1');
    expect(result.stdout).toContain('SCAN_REMOVED');
  });

  it('a compose report written by a project job of the child pipeline named policy:compose is not read: nothing is trusted', async () => {
    const permissive = fakeComposeReport({ scanPolicy: ['lint'] }, []);
    const gitlab = await standIn(
      {
        composeReport: undefined,
        childJobs: [
          { name: 'policy:compose', file: 'gl-policy-report.json', text: JSON.stringify(permissive) },
          { name: 'lint', file: 'gl-sast-report.json', text: CLEAN_SAST },
        ],
      },
      HONEST_TARGET,
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`pipeline #${MR_PIPELINE} has no policy:compose job: no security report is trusted`);
    expect(result.stdout).toContain('SCAN_REMOVED');
    expect(gitlab.requests.some((request) => /\/(trigger_jobs|bridges)\b/.test(request))).toBe(true);
  });

  it('a fake target-branch report (a project job on main) cannot make the new finding look pre-existing', async () => {
    const gitlab = await standIn(
      {
        composeReport: fakeComposeReport({ scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
        childJobs: [{ name: 'semgrep-sast-1', file: 'gl-sast-report.json', text: report('mr', 'gl-sast-report.json') }],
      },
      {
        composeReport: fakeComposeReport({ project: ['copy-findings'], scanPolicy: ['semgrep-sast-1'] }, [SAST_ACTION]),
        childJobs: [
          // The project job copies the MR's findings into a target-branch report: all would look pre-existing.
          { name: 'copy-findings', file: 'gl-sast-report.json', text: report('mr', 'gl-sast-report.json') },
          { name: 'semgrep-sast-1', file: 'gl-sast-report.json', text: report('main', 'gl-sast-report.json') },
        ],
      },
    );
    const result = await evaluate(gitlab.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 newly detected finding > vulnerabilities_allowed 0');
  });
});

describe('attack: a project job named like a scan job', () => {
  const FAKE_JOB = '\nsecret-detection-0:\n  stage: test\n  rules:\n    - when: always\n  script:\n    - echo \'{"version":"15.0.0","vulnerabilities":[],"scan":{"status":"success"}}\' > gl-secret-detection-report.json\n  artifacts:\n    reports:\n      secret_detection: gl-secret-detection-report.json\n';

  async function composeWithFakeJob(context: readonly string[], branchPipelinesOnly = false) {
    const workspace = await mkdtemp(join(tmpdir(), 'attack-scan-name-'));
    await cp(examples, workspace, { recursive: true });
    if (branchPipelinesOnly) {
      // The policy keeps secret detection in branch pipelines, as GitLab's default template does.
      const policy = join(workspace, 'security/policies/.gitlab/security-policies/policy.yml');
      const text = await readFile(policy, 'utf8');
      await writeFile(policy, text.replace('      - scan: secret_detection\n', '      - scan: secret_detection\n        variables:\n          AST_ENABLE_MR_PIPELINES: "false"\n'));
    }
    const ci = join(workspace, 'acme/web/.gitlab-ci.yml');
    await writeFile(ci, (await readFile(ci, 'utf8')) + FAKE_JOB);
    const out = join(workspace, 'out.yml');
    const reportPath = join(workspace, 'report.json');
    const args = ['compose', '--workspace', workspace, '--project', 'acme/web', ...context, '--policy-project', 'security/policies', '--out', out, '--report', reportPath];
    succeeded(await runRealCli(args, { cwd: repoRoot }));
    const composed = JSON.parse(await readFile(reportPath, 'utf8')) as { jobs: { name: string; origin: string }[]; scanActions: { scan: string; jobs: string[]; outcome?: string }[] };
    const pipeline = parse(await readFile(out, 'utf8')) as Record<string, { script?: string[] }>;
    return { composed, script: (pipeline['secret-detection-0']?.script ?? []).join('\n') };
  }

  it("branch pipeline: compose replaces it with the scan job; the report names it scan-policy and its script is the template's", async () => {
    const { composed, script } = await composeWithFakeJob(['--branch', 'main']);
    expect(composed.jobs.filter((job) => job.name === 'secret-detection-0')).toEqual([expect.objectContaining({ name: 'secret-detection-0', origin: 'scan-policy' })]);
    expect(script).toContain('/analyzer run');
    expect(script).not.toContain('"vulnerabilities":[]');
  });

  it('merge request pipeline where the scan job drops out by rules: the project job keeps its name but the report says origin project, so evaluate does not trust it', async () => {
    const { composed, script } = await composeWithFakeJob(['--source', 'merge_request_event', '--branch', 'feature/x', '--mr-target', 'main'], true);
    expect(composed.jobs.filter((job) => job.name === 'secret-detection-0')).toEqual([expect.objectContaining({ origin: 'project' })]);
    expect(script).toContain('"vulnerabilities":[]');
    const secret = composed.scanActions.find((action) => action.scan === 'secret_detection');
    expect(secret).toMatchObject({ jobs: [], outcome: 'applied-no-jobs' });
  });
});
