/**
 * `evaluate` in API mode, in-process, GitLab on msw's wire: approval rules named after each
 * policy are set and cleared, exactly one bot comment is created, edited in place and resolved
 * (never duplicated), report artifacts come from the MR pipeline and the target branch's latest
 * successful pipeline, and from their child pipelines (the templates' scans run in the composed
 * child), each file once, and on Free (no approval rules API) a violation fails the job.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runEvaluate } from '../../src/cli/commands/evaluate.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { BOT_COMMENT_MARKER } from '../../src/gating/approvals/bot-comment.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import {
  latestPipelineHandler,
  membersHandler,
  mergeRequestGateHandlers,
  mergeRequestHandler,
  fakeComposeReport,
  newMergeRequestState,
  pipelineArtifactHandlers,
  type FakeMergeRequestState,
} from '../http/gitlab-merge-request-gate.js';
import { useGitlab } from '../http/gitlab-server.js';

const API = 'http://gitlab.test/api/v4';
const PROJECT_ID = 101; // acme/web in examples/workspace/workspace.yml
const IID = 7;
const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { only: ['project', 'raw-file', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));

/** On a terminal the flags name the merge request; the token is the process's variable. */
const FLAGS = ['--gitlab-url', 'http://gitlab.test', '--project', 'acme/web', '--mr-iid', String(IID), '--policy-project', 'security/policies'];
const ENV = { POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN };
const LOCAL_REPORTS = (mr: string) => ['--reports', `examples/workspace/reports/${mr}`, '--target-reports', 'examples/workspace/reports/main'];
const MAINTAINERS = [{ id: 5, access_level: 40 }, { id: 6, access_level: 30 }];

/** `evaluate` with FLAGS (plus --mr-target main unless `withTarget` is false) and `args`; `jobVariables` makes it a --job run. */
async function evaluateInJob(args: readonly string[], options: { withTarget?: boolean; jobVariables?: Record<string, string> } = {}): Promise<{ code: number; stdout: string }> {
  const base = options.jobVariables === undefined ? [...FLAGS, ...(options.withTarget === false ? [] : ['--mr-target', 'main'])] : ['--job', '--job-env-file', 'unused', '--gitlab-url', 'http://gitlab.test', '--policy-project', 'security/policies'];
  const parsed = parseCommandLine(['evaluate', ...base, ...args]);
  if (parsed.kind !== 'run' || parsed.command !== 'evaluate') throw new Error('not an evaluate command line');
  let stdout = '';
  // With --job, run.ts would have read the variables from --job-env-file and kept only the tokens as the environment.
  const jobVariables = options.jobVariables;
  const env = jobVariables === undefined ? ENV : { POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN, CI_JOB_TOKEN: jobVariables['CI_JOB_TOKEN'] ?? '' };
  // A job's working folder is its checkout (here none: this repository's own .git must not be read as one).
  const cwd = jobVariables === undefined ? process.cwd() : tmpdir();
  const io = { stdout: { write: (text: string) => void (stdout += text) }, stderr: { write: () => undefined }, env, cwd, ...(jobVariables === undefined ? {} : { jobVariables }) };
  const code = await runEvaluate(parsed.options, io, { dispatcher: gitlab.dispatcher, now: () => new Date('2025-06-01T00:00:00Z') });
  return { code, stdout };
}

/** The fake MR's handlers; with `calls` (`GET approval_rules`, `POST notes`...) only those, as each must be used. */
function useMergeRequest(state: FakeMergeRequestState, premium = true, calls?: readonly string[]): void {
  const handlers = mergeRequestGateHandlers({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main', premium, state });
  const wanted = (header: string): boolean =>
    calls === undefined || calls.some((call) => {
      const [method = '', resource = ''] = call.split(' ');
      if (resource === 'user') return header === `${method} ${API}/user`;
      return header.startsWith(`${method} `) && header.includes(`/merge_requests/${IID}/${resource}`);
    });
  gitlab.use(...handlers.filter((handler) => wanted(handler.info.header)));
}

const ours = (state: FakeMergeRequestState) => state.notes.filter((note) => note.body.startsWith(BOT_COMMENT_MARKER)).map(({ id, body }) => ({ id, body }));

describe('approval rules and the bot comment over three runs', () => {
  it('violated, violated again, then clean: rules set then removed; one comment created, kept, then resolved', async () => {
    const state = newMergeRequestState([{ id: 1, body: 'LGTM from a human' }]);
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'PUT approval_rules', 'DELETE approval_rules', 'GET notes', 'POST notes', 'PUT notes', 'GET user']);
    gitlab.use(membersHandler(API, PROJECT_ID, MAINTAINERS));

    const first = await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(first.code).toBe(1); // the contract: 1 while a policy is violated, even where approval rules enforce it
    expect(first.stdout).toContain('verdict: approval required: merge request approval rules are set');
    expect(state.rules.map(({ name, approvals_required, user_ids, group_ids }) => ({ name, approvals_required, user_ids, group_ids }))).toEqual([
      { name: 'Block critical and high findings', approvals_required: 1, user_ids: [5], group_ids: [] },
      { name: 'No GPL in new dependencies', approvals_required: 1, user_ids: [], group_ids: [20] },
    ]);
    expect(ours(state)).toHaveLength(1);
    expect(ours(state)[0]?.body).toContain("SQL Injection");
    const noteId = ours(state)[0]?.id;

    const second = await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(second.code).toBe(1);
    expect(ours(state).map((note) => note.id)).toEqual([noteId]);
    expect(state.notes).toHaveLength(2);

    const clean = await evaluateInJob(LOCAL_REPORTS('main'));
    expect(clean.code).toBe(0);
    expect(state.rules).toEqual([]);
    expect(ours(state)).toEqual([{ id: noteId, body: `${BOT_COMMENT_MARKER}\n**Security policy violations have been resolved.**\n` }]);
    expect(clean.stdout).toContain('bot comment resolved');
  });

  it('a clean first run writes nothing: no rule, no comment', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'GET notes']);
    const run = await evaluateInJob(LOCAL_REPORTS('main'));
    expect([run.code, state.rules, state.notes]).toEqual([0, [], []]);
  });

  it('two copies of our comment (a race): one is kept and edited, the other deleted', async () => {
    const state = newMergeRequestState([
      { id: 1, body: `${BOT_COMMENT_MARKER}\nold` },
      { id: 2, body: `${BOT_COMMENT_MARKER}\nolder copy` },
    ]);
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'PUT notes', 'DELETE notes', 'GET user']);
    gitlab.use(membersHandler(API, PROJECT_ID, MAINTAINERS));
    await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(ours(state).map((note) => note.id)).toEqual([1]);
    expect(ours(state)[0]?.body).toContain('Newly detected vulnerabilities');
  });

  it("after a token change the earlier token's comment is left as it is and a new one is posted, then edited", async () => {
    // Note 1 was written by user 9 (the earlier token); this token acts as user 1.
    const state = newMergeRequestState([{ id: 1, body: `${BOT_COMMENT_MARKER}\nold violations`, authorId: 9 }]);
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'DELETE approval_rules', 'GET notes', 'POST notes', 'PUT notes', 'GET user']);
    gitlab.use(membersHandler(API, PROJECT_ID, MAINTAINERS));
    const first = await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(first.stdout).toContain('bot comment created');
    expect(ours(state)).toHaveLength(2);
    expect(ours(state)[0]).toEqual({ id: 1, body: `${BOT_COMMENT_MARKER}\nold violations` });
    const newId = ours(state)[1]?.id;
    const clean = await evaluateInJob(LOCAL_REPORTS('main'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('bot comment resolved');
    expect(ours(state).map((note) => note.id)).toEqual([1, newId]);
    expect(ours(state)[1]).toEqual({ id: newId, body: `${BOT_COMMENT_MARKER}\n**Security policy violations have been resolved.**\n` });
  });

  it('reads approval rules past the first page: a rule on page 2 is updated, not created twice (GitLab answers 400)', async () => {
    const filler = Array.from({ length: 120 }, (_, index) => ({ id: index + 1, name: `Team rule ${index + 1}`, rule_type: 'regular', approvals_required: 1, user_ids: [], group_ids: [], usernames: [] }));
    const state = newMergeRequestState();
    state.rules.push(...filler, { id: 500, name: 'Block critical and high findings', rule_type: 'regular', approvals_required: 2, user_ids: [], group_ids: [], usernames: [] });
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'PUT approval_rules', 'GET notes', 'POST notes']);
    gitlab.use(membersHandler(API, PROJECT_ID, MAINTAINERS));
    const run = await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(run.code).toBe(1);
    expect(state.rules.filter((rule) => rule.name === 'Block critical and high findings').map((rule) => [rule.id, rule.approvals_required])).toEqual([[500, 1]]);
    expect(run.stdout).toContain('updated approval rule "Block critical and high findings"');
  });
});

describe('GitLab Free', () => {
  it('approval rules unavailable: says so, still comments, and a violation fails the job (exit 1)', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, false, ['GET approval_rules', 'GET notes', 'POST notes']);
    const run = await evaluateInJob(LOCAL_REPORTS('mr'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('approvals cannot be required here');
    expect(run.stdout).toContain('verdict: BLOCKED: approvals cannot be required on this GitLab');
    expect(ours(state)).toHaveLength(1);
  });
});

describe('report artifacts from pipelines', () => {
  const files = (branch: string) => Object.fromEntries(['gl-sast-report.json', 'gl-dependency-scanning-report.json', 'gl-sbom-npm-npm.cdx.json'].map((name) => [name, readFileSync(`examples/workspace/reports/${branch}/${name}`, 'utf8')]));
  const SCAN_JOBS = ['semgrep-sast-1', 'gemnasium-dependency-scanning-2', 'gemnasium-sbom-2'];
  const composed = fakeComposeReport({ project: ['build'], scanPolicy: SCAN_JOBS }, [
    { policy: 'SAST', action: 0, scan: 'sast', jobs: ['semgrep-sast-1'] },
    { policy: 'SAST', action: 1, scan: 'dependency_scanning', jobs: ['gemnasium-dependency-scanning-2', 'gemnasium-sbom-2'] },
  ]);
  const child = (id: number, name = 'policy:pipeline') => ({ name, downstream: { id, projectId: PROJECT_ID } });
  /** A pipeline with policy:compose and its composed child pipeline, whose jobs wrote `reports`. */
  const composedPipeline = (parent: number, reports: Record<string, string>, options: { jobNames?: string[]; downloads?: string[]; report?: unknown } = {}) => [
    ...pipelineArtifactHandlers(API, PROJECT_ID, parent, {}, parent * 10, { composeReport: options.report ?? composed, bridges: [child(parent + 1)] }),
    ...pipelineArtifactHandlers(API, PROJECT_ID, parent + 1, reports, (parent + 1) * 10, { child: true, jobNames: options.jobNames ?? SCAN_JOBS, downloads: options.downloads }),
  ];

  it("reads the MR's head pipeline and the target branch's latest successful pipeline", async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
      // GitLab lists the target's composed child (201) first: it is newer than its parent.
      latestPipelineHandler(API, PROJECT_ID, 'main', 200, [201]),
      ...composedPipeline(300, files('mr')),
      ...composedPipeline(200, files('main')),
    );
    const run = await evaluateInJob([], { withTarget: false });
    expect(run.code).toBe(1); // the example MR adds a critical finding
    expect(state.rules.map((rule) => rule.name)).toEqual(['Block critical and high findings', 'No GPL in new dependencies']);
    expect(run.stdout).toContain('1 newly detected finding > vulnerabilities_allowed 0');
    expect(run.stdout).toContain('reports (merge request pipeline #300): 3 report file(s) from policy jobs in composed pipeline #301');
  });

  it('no successful pipeline on the target branch: fail closed, the approval rules are required', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    gitlab.use(membersHandler(API, PROJECT_ID, MAINTAINERS), latestPipelineHandler(API, PROJECT_ID, 'main', undefined));
    const run = await evaluateInJob(['--reports', 'examples/workspace/reports/main']);
    expect(run.stdout).toContain('TARGET_PIPELINE_MISSING');
    expect(state.rules).toHaveLength(2);
  });

  it('follows policy:pipeline and policy:pre to the composed child pipelines, in the MR pipeline and on the target branch', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    const downloads: string[] = [];
    // Not followed: a trigger job whose pipeline is not created, a multi-project one, and a project's
    // own child pipeline (no handlers: reading them would fail the test).
    const ignored = [{ name: 'notify', downstream: null }, { name: 'deploy', downstream: { id: 9001, projectId: 999 } }, child(9002, 'docs:child')];
    const mr = files('mr');
    const { 'gl-sast-report.json': sast = '', ...rest } = mr;
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      latestPipelineHandler(API, PROJECT_ID, 'main', 200),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 300, {}, 3000, { composeReport: composed, bridges: [child(302, 'policy:pre'), child(301), ...ignored] }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 302, { 'gl-sast-report.json': sast }, 3200, { child: true, jobNames: ['semgrep-sast-1'], downloads }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 301, rest, 3100, { child: true, jobNames: SCAN_JOBS.slice(1), downloads }),
      ...composedPipeline(200, files('main'), { downloads }),
    );
    // In policy:evaluate (--job): merge request !7 and parent pipeline 300 as GitLab's GET /job says.
    const job = { token: 'glcbt-64_evaluate-job', id: 3009, project: 'acme/web', pipelineId: 300, source: 'merge_request_event', ref: `refs/merge-requests/${IID}/head`, sha: 'a'.repeat(40) };
    gitlab.use(...gitlabHandlersFor('examples/workspace', { only: ['job'], job }), mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300));
    const run = await evaluateInJob([], { jobVariables: { CI_JOB_TOKEN: job.token, CI_PIPELINE_ID: '300', CI_MERGE_REQUEST_IID: String(IID), CI_PROJECT_PATH: 'acme/web' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding > vulnerabilities_allowed 0');
    expect(run.stdout).not.toMatch(/SCAN_REMOVED|TARGET_PIPELINE_MISSING/);
    expect(downloads.sort()).toEqual(
      [
        '201:gemnasium-dependency-scanning-2/gl-dependency-scanning-report.json',
        '201:gemnasium-sbom-2/gl-sbom-npm-npm.cdx.json',
        '201:semgrep-sast-1/gl-sast-report.json',
        '301:gemnasium-dependency-scanning-2/gl-dependency-scanning-report.json',
        '301:gemnasium-sbom-2/gl-sbom-npm-npm.cdx.json',
        '302:semgrep-sast-1/gl-sast-report.json',
      ].sort(),
    );
  });

  it('on a GitLab without /trigger_jobs (404, no such route) the child pipelines are found through /bridges', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    const downloads: string[] = [];
    const routes: string[] = [];
    const legacy = { composeReport: composed, withoutTriggerJobsRoute: true, triggerJobRoutes: routes };
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
      latestPipelineHandler(API, PROJECT_ID, 'main', 200),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 300, {}, 3000, { ...legacy, bridges: [child(301)] }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 301, files('mr'), 3100, { child: true, jobNames: SCAN_JOBS, downloads }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 200, {}, 2000, { ...legacy, bridges: [child(201)] }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 201, files('main'), 2100, { child: true, jobNames: SCAN_JOBS, downloads }),
    );
    const run = await evaluateInJob([], { withTarget: false });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/SCAN_REMOVED|TARGET_PIPELINE_MISSING/);
    expect(routes).toEqual(['bridges', 'bridges']);
    expect(downloads).toHaveLength(6);
  });

  it("never reads the parent pipeline's own jobs' reports (opt-in mode: the project's jobs run there)", async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    const mr = files('mr');
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
      latestPipelineHandler(API, PROJECT_ID, 'main', 200),
      // The parent's job has a scan job's name; its clean report is not served: reading it fails the test.
      ...pipelineArtifactHandlers(API, PROJECT_ID, 300, { 'gl-sast-report.json': '{}' }, 3000, { composeReport: composed, jobNames: ['semgrep-sast-1'], unserved: ['gl-sast-report.json'], bridges: [child(301)] }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 301, mr, 3100, { child: true, jobNames: SCAN_JOBS }),
      ...composedPipeline(200, files('main')),
    );
    const run = await evaluateInJob([], { withTarget: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding > vulnerabilities_allowed 0');
  });

  it('no policy:compose report in the MR pipeline: nothing is trusted, the missing scans fail closed', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
      latestPipelineHandler(API, PROJECT_ID, 'main', 200),
      // A project job wrote policy-report.json-like reports; without a policy:compose job nothing is read.
      ...pipelineArtifactHandlers(API, PROJECT_ID, 300, { 'gl-sast-report.json': '{}' }, 3000, { jobNames: ['compose'], unserved: ['gl-sast-report.json'], child: true }),
      ...composedPipeline(200, files('main')),
    );
    const run = await evaluateInJob([], { withTarget: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('reports (merge request pipeline #300): pipeline #300 has no policy:compose job: no security report is trusted');
    expect(run.stdout).toContain('SCAN_REMOVED');
  });

  it('a compose report that is not JSON: nothing is trusted', async () => {
    const state = newMergeRequestState();
    useMergeRequest(state, true, ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes']);
    gitlab.use(
      membersHandler(API, PROJECT_ID, MAINTAINERS),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
      latestPipelineHandler(API, PROJECT_ID, 'main', 200),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 300, {}, 3000, { composeReport: 'not json {', child: true }),
      ...composedPipeline(200, files('main')),
    );
    const run = await evaluateInJob([], { withTarget: false });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('policy-report.json of policy:compose (job 3800) is not JSON: no security report is trusted');
  });
});
