/**
 * A fake merge request for `evaluate` in API mode, answering like GitLab (docs "api/merge_requests",
 * "api/merge_request_approvals", "api/notes", "api/pipelines", "api/jobs", "api/job_artifacts"):
 * the MR itself, its approval rules and notes (kept in `state`, so a second run sees what the first
 * wrote), pipelines, their trigger jobs (bridges) and child pipelines, jobs and their report
 * artifacts. `premium: false` answers the approval rules endpoints as GitLab Free does (404).
 * Lives here because only test/http may import msw.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { gitlabError, paginated } from './gitlab-responses.js';

export interface FakeApprovalRule {
  id: number;
  name: string;
  rule_type: string;
  approvals_required: number;
  user_ids: number[];
  group_ids: number[];
  usernames: string[];
}

export interface FakeNote {
  id: number;
  body: string;
  /** The note's author; the token's user when left out. */
  authorId?: number;
}

export interface FakeMergeRequestState {
  readonly rules: FakeApprovalRule[];
  readonly notes: FakeNote[];
  nextId: number;
  /** The user the token acts as (`GET /user`); 1 by default. */
  currentUserId?: number;
}

export interface FakeMergeRequestOptions {
  readonly apiUrl: string;
  readonly projectId: number;
  readonly iid: number;
  readonly targetBranch: string;
  readonly premium: boolean;
  readonly state: FakeMergeRequestState;
}

export function newMergeRequestState(notes: FakeNote[] = []): FakeMergeRequestState {
  return { rules: [], notes, nextId: 1000 };
}

/** Approval rules and notes of one merge request: list, create, edit, delete. */
export function mergeRequestGateHandlers(options: FakeMergeRequestOptions): RequestHandler[] {
  const mr = `${options.apiUrl}/projects/${options.projectId}/merge_requests/${options.iid}`;
  const { state } = options;
  const body = async (request: Request): Promise<Record<string, unknown>> => (await request.json()) as Record<string, unknown>;
  const premiumOnly = (answer: () => Promise<Response> | Response) => (options.premium ? answer() : gitlabError(404, '404 Not Found'));
  const ruleFrom = (id: number, sent: Record<string, unknown>): FakeApprovalRule => ({
    id,
    name: String(sent['name']),
    rule_type: 'regular',
    approvals_required: Number(sent['approvals_required']),
    user_ids: (sent['user_ids'] as number[] | undefined) ?? [],
    group_ids: (sent['group_ids'] as number[] | undefined) ?? [],
    usernames: (sent['usernames'] as string[] | undefined) ?? [],
  });
  const indexOf = <T extends { id: number }>(items: T[], id: unknown): number => items.findIndex((item) => item.id === Number(id));
  const me = (): number => state.currentUserId ?? 1;
  const noteJson = (note: FakeNote) => ({ id: note.id, body: note.body, author: { id: note.authorId ?? me(), username: `user${note.authorId ?? me()}` } });
  // Only the author may edit or delete a note (lib/api/helpers/notes_helpers.rb `authorize! :admin_note`).
  const notAuthor = (note: FakeNote | undefined): boolean => note !== undefined && (note.authorId ?? me()) !== me();
  return [
    // Paginated like every GitLab list (docs "api/merge_request_approvals": page, per_page; 20 a page by default).
    http.get(`${mr}/approval_rules`, ({ request }) => premiumOnly(() => paginated(request, state.rules))),
    http.post(`${mr}/approval_rules`, ({ request }) =>
      premiumOnly(async () => {
        const sent = await body(request);
        // GitLab validates the rule name as unique per merge request.
        if (state.rules.some((rule) => rule.name === sent['name'])) return gitlabError(400, '400 Bad request - name has already been taken');
        const rule = ruleFrom((state.nextId += 1), sent);
        state.rules.push(rule);
        return HttpResponse.json(rule, { status: 201 });
      }),
    ),
    http.put(`${mr}/approval_rules/:ruleId`, async ({ request, params }) => {
      const at = indexOf(state.rules, params['ruleId']);
      if (at < 0) return gitlabError(404, '404 Not found');
      state.rules[at] = ruleFrom(Number(params['ruleId']), await body(request));
      return HttpResponse.json(state.rules[at]);
    }),
    http.delete(`${mr}/approval_rules/:ruleId`, ({ params }) => {
      const at = indexOf(state.rules, params['ruleId']);
      if (at < 0) return gitlabError(404, '404 Not found');
      state.rules.splice(at, 1);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${mr}/notes`, ({ request }) => paginated(request, state.notes.map(noteJson))),
    http.post(`${mr}/notes`, async ({ request }) => {
      const note = { id: (state.nextId += 1), body: String((await body(request))['body']), authorId: me() };
      state.notes.push(note);
      return HttpResponse.json(noteJson(note), { status: 201 });
    }),
    http.put(`${mr}/notes/:noteId`, async ({ request, params }) => {
      const at = indexOf(state.notes, params['noteId']);
      if (at < 0) return gitlabError(404, '404 Not found');
      if (notAuthor(state.notes[at])) return gitlabError(403, '403 Forbidden');
      state.notes[at] = { id: Number(params['noteId']), body: String((await body(request))['body']), authorId: me() };
      return HttpResponse.json(noteJson(state.notes[at]));
    }),
    http.delete(`${mr}/notes/:noteId`, ({ params }) => {
      const at = indexOf(state.notes, params['noteId']);
      if (at < 0) return gitlabError(404, '404 Not found');
      if (notAuthor(state.notes[at])) return gitlabError(403, '403 Forbidden');
      state.notes.splice(at, 1);
      return new HttpResponse(null, { status: 204 });
    }),
    // docs "api/users": the token's own user.
    http.get(`${options.apiUrl}/user`, () => HttpResponse.json({ id: me(), username: `user${me()}` })),
  ];
}

/** `GET .../merge_requests/:iid` with its head pipeline. */
export function mergeRequestHandler(options: Pick<FakeMergeRequestOptions, 'apiUrl' | 'projectId' | 'iid' | 'targetBranch'>, headPipelineId: number): RequestHandler {
  return http.get(`${options.apiUrl}/projects/${options.projectId}/merge_requests/${options.iid}`, () =>
    HttpResponse.json({ iid: options.iid, source_branch: 'feature/cart', target_branch: options.targetBranch, head_pipeline: { id: headPipelineId } }),
  );
}

/**
 * A branch's successful pipelines, newest first (`?ref=&status=success&order_by=id&sort=desc&per_page=20`):
 * `pipelineId` (a push pipeline) and, newer, the child pipelines listed in `children` (source
 * `parent_pipeline`), as GitLab lists both.
 */
export function latestPipelineHandler(apiUrl: string, projectId: number, ref: string, pipelineId: number | undefined, children: readonly number[] = []): RequestHandler {
  return http.get(`${apiUrl}/projects/${projectId}/pipelines`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const wanted = query.get('ref') === ref && query.get('status') === 'success' && query.get('order_by') === 'id' && query.get('sort') === 'desc' && query.get('per_page') === '20';
    if (!wanted) return gitlabError(400, '400 Bad request');
    const listed = [...children.map((id) => ({ id, ref, status: 'success', source: 'parent_pipeline' })), ...(pipelineId === undefined ? [] : [{ id: pipelineId, ref, status: 'success', source: 'push' }])];
    return HttpResponse.json(listed.sort((a, b) => b.id - a.id));
  });
}

export interface FakeBridge {
  readonly name: string;
  /** null: the downstream pipeline was not created (yet). */
  readonly downstream: { readonly id: number; readonly projectId: number } | null;
}

export interface FakePipelineOptions {
  /** The pipeline's trigger jobs (`GET .../pipelines/:id/bridges`); none by default. */
  readonly bridges?: readonly FakeBridge[];
  /** A child pipeline: `evaluate` follows one level, so its trigger jobs are not served (reading them fails the test). */
  readonly child?: boolean;
  /** Report job names, in file order; default `scan-1`, `scan-2`... */
  readonly jobNames?: readonly string[];
  /** Jobs without report artifacts listed first, e.g. `policy:compose` with its JUnit report. */
  readonly otherJobs?: readonly string[];
  /** Each artifact download is recorded as `<pipeline id>:<job name>/<path>`. */
  readonly downloads?: string[];
  /** An older GitLab: `/trigger_jobs` is no route (404), `/bridges` answers. */
  readonly withoutTriggerJobsRoute?: boolean;
  /** The trigger-job routes that answered, in order (`trigger_jobs` or `bridges`). */
  readonly triggerJobRoutes?: string[];
  /** Report files listed but not served: downloading one is an unmocked request, which fails the test. */
  readonly unserved?: readonly string[];
  /** Instead of `files` and `jobNames`: each job with the report file it wrote (two may write the same name). */
  readonly reportJobs?: readonly { readonly name: string; readonly file: string; readonly text: string }[];
  /** A `policy:compose` job whose `policy-report.json` artifact is this (a string is served as is). */
  readonly composeReport?: unknown;
}

export interface FakeScanAction {
  readonly policy: string;
  readonly action: number;
  readonly scan: string;
  readonly jobs: readonly string[];
  /** Jobs its rules left out, with the rule's reason. */
  readonly excluded?: readonly { readonly name: string; readonly reason: string }[];
}

/** A compose report (emit/report.ts) naming jobs by origin, as `policy:compose` writes it. */
export function fakeComposeReport(jobs: { readonly project?: readonly string[]; readonly policy?: readonly string[]; readonly scanPolicy?: readonly string[] }, scanActions: readonly FakeScanAction[] = []): unknown {
  const job = (origin: string) => (name: string) => ({ name, originalName: name, origin, policy: origin === 'project' ? null : 'P', policyProject: null, stage: 'test', declaredStage: 'test', when: 'on_success', decidedBy: 'no rules', definedAt: null });
  return {
    version: 1,
    project: 'acme/web',
    created: true,
    policyFailure: null,
    policies: [],
    scanActions: scanActions.map((action) => ({
      policy: action.policy,
      policyProject: 'security/policies',
      action: action.action,
      scan: action.scan,
      applied: true,
      reason: 'rule 0 matched',
      template: `${action.scan}.yml`,
      jobs: action.jobs,
      excludedJobs: (action.excluded ?? []).map((excluded) => excluded.name),
    })),
    stages: ['test'],
    jobs: [...(jobs.project ?? []).map(job('project')), ...(jobs.policy ?? []).map(job('policy')), ...(jobs.scanPolicy ?? []).map(job('scan-policy'))],
    excludedJobs: scanActions.flatMap((action) => action.excluded ?? []).map((excluded) => ({ ...excluded, definedAt: null })),
    droppedPolicyJobs: [],
    files: [],
  };
}

/**
 * One job per report file of a pipeline, each file served as its job's artifact, and the
 * pipeline's trigger jobs with their downstream pipelines (docs "api/jobs" "List pipeline trigger jobs").
 */
export function pipelineArtifactHandlers(
  apiUrl: string,
  projectId: number,
  pipelineId: number,
  files: Readonly<Record<string, string>>,
  firstJobId: number,
  options: FakePipelineOptions = {},
): RequestHandler[] {
  const others = (options.otherJobs ?? []).map((name, index) => ({
    id: firstJobId + 500 + index,
    name,
    artifacts: [{ file_type: 'archive', filename: 'artifacts.zip' }, { file_type: 'junit', filename: 'junit.xml.gz' }],
  }));
  const written = options.reportJobs ?? Object.entries(files).map(([file, text], index) => ({ name: options.jobNames?.[index] ?? `scan-${index + 1}`, file, text }));
  const reportJobs = written.map(({ name, file, text }, index) => ({
    id: firstJobId + index,
    name,
    file,
    text,
    artifacts: [
      { file_type: 'archive', filename: 'artifacts.zip' },
      { file_type: file.includes('sbom') ? 'cyclonedx' : file.includes('sast') ? 'sast' : 'dependency_scanning', filename: file },
    ],
  }));
  const bridges = (options.bridges ?? []).map(({ name, downstream }, index) => ({
    id: firstJobId + 900 + index,
    name,
    stage: 'test',
    status: 'success',
    downstream_pipeline: downstream === null ? null : { id: downstream.id, project_id: downstream.projectId, sha: 'a'.repeat(40), ref: 'feature/a', status: 'success' },
  }));
  const served = reportJobs.filter((job) => options.unserved?.includes(job.file) !== true);
  const compose =
    options.composeReport === undefined
      ? []
      : [{ id: firstJobId + 800, name: 'policy:compose', artifacts: [{ file_type: 'archive', filename: 'artifacts.zip' }, { file_type: 'junit', filename: 'junit.xml.gz' }] }];
  const listed = [...compose, ...others, ...reportJobs].map(({ id, name, artifacts }) => ({ id, name, artifacts }));
  const composeText = typeof options.composeReport === 'string' ? options.composeReport : JSON.stringify(options.composeReport);
  return [
    http.get(`${apiUrl}/projects/${projectId}/pipelines/${pipelineId}/jobs`, ({ request }) => paginated(request, listed)),
    // lib/api/ci/pipelines.rb: `/trigger_jobs` on newer GitLab; `/bridges` (deprecated) on all.
    ...(options.child === true
      ? []
      : [
          http.get(new RegExp(`^${`${apiUrl}/projects/${projectId}/pipelines/${pipelineId}`.replace(/[.]/g, '\\.')}/(trigger_jobs|bridges)(\\?.*)?$`), ({ request }) => {
            if (options.withoutTriggerJobsRoute === true && new URL(request.url).pathname.endsWith('/trigger_jobs')) return gitlabError(404, '404 Not Found');
            options.triggerJobRoutes?.push(new URL(request.url).pathname.split('/').at(-1) ?? '');
            return paginated(request, bridges);
          }),
        ]),
    ...compose.map((job) =>
      http.get(`${apiUrl}/projects/${projectId}/jobs/${job.id}/artifacts/policy-report.json`, () => {
        options.downloads?.push(`${pipelineId}:${job.name}/policy-report.json`);
        return new HttpResponse(composeText, { headers: { 'content-type': 'application/octet-stream' } });
      }),
    ),
    ...served.map((job) =>
      http.get(`${apiUrl}/projects/${projectId}/jobs/${job.id}/artifacts/:path`, ({ params }) => {
        options.downloads?.push(`${pipelineId}:${job.name}/${String(params['path'])}`);
        return new HttpResponse(job.text, { headers: { 'content-type': 'application/octet-stream' } });
      }),
    ),
  ];
}

/** `GET /projects/:id/members/all`: id and access level of each member (30 developer, 40 maintainer). */
export function membersHandler(apiUrl: string, projectId: number, members: readonly { id: number; access_level: number }[]): RequestHandler {
  return http.get(`${apiUrl}/projects/${projectId}/members/all`, ({ request }) => paginated(request, members.map((member) => ({ ...member, username: `user${member.id}` }))));
}
