/**
 * The GitLab calls of `evaluate` in API mode (docs/merge-gating.md lists them with their
 * permissions): reads (the merge request, its commits and their signatures, pipelines and the
 * child pipelines of their trigger jobs, jobs and their report artifacts) and the few writes
 * (merge request approval rules, the one bot comment). Every response is checked by a shape
 * where it enters; paths are encoded per segment.
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';
import { encodePathSegment, groupPath, projectPath } from '../../http/gitlab-paths.js';
import { absentOn } from './gitlab-api.js';
import { createTriggerJobsReader } from './trigger-jobs.js';
import { checkResponse, integer, list, nullable, object, optional, string, type Shape } from './response-shape.js';

export interface ApproverSpec {
  readonly userIds: readonly number[];
  readonly usernames: readonly string[];
  readonly groupIds: readonly number[];
  readonly groupPaths: readonly string[];
  /** Role names, or custom role ids (which cannot be resolved to users here). */
  readonly roles: readonly (string | number)[];
}

export interface WantedApprovalRule {
  readonly name: string;
  /** undefined: the rule must not be in force (it is removed when present). */
  readonly approvalsRequired: number | undefined;
  readonly approvers: ApproverSpec;
}

export interface ApprovalRuleSync {
  /** false: GitLab refused MR approval rules (Free tier, or per-MR overrides disabled). */
  readonly available: boolean;
  /** `created "Pol" (2 approvals)`, `removed "Pol 2"`... for the summary. */
  readonly changes: readonly string[];
}

export type CommentSync = 'created' | 'updated' | 'unchanged' | 'resolved' | 'none';

export interface ReportArtifact {
  readonly name: string;
  readonly text: string;
}

/** GitLab's access levels (docs "api/members"): role_approvers name them. */
const ACCESS_LEVELS: Readonly<Record<string, number>> = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 };
/** The templates' jobs (templates/policy-sidecar.yml): the composer and the composed pipelines' trigger jobs. */
const COMPOSE_JOB = 'policy:compose';
const COMPOSE_REPORT = 'policy-report.json';
const COMPOSED_PIPELINE_BRIDGES: ReadonlySet<string> = new Set(['policy:pipeline', 'policy:pre']);
const REPORT_FILE_TYPES = new Set(['sast', 'secret_detection', 'dependency_scanning', 'container_scanning', 'dast', 'api_fuzzing', 'coverage_fuzzing', 'cluster_image_scanning', 'cyclonedx']);

const mergeRequestShape = object({ target_branch: string, head_pipeline: optional(nullable(object({ id: integer }))) });
const commitShape = object({ id: string });
const pipelinesShape = list(object({ id: integer, source: optional(nullable(string)) }));
const bridgeShape = object({ name: string, downstream_pipeline: nullable(object({ id: integer, project_id: integer })) });
const jobShape = object({ id: integer, name: string, artifacts: optional(list(object({ file_type: string, filename: optional(nullable(string)) }))) });
const approvalRuleShape = object({ id: integer, name: string, rule_type: optional(nullable(string)) });
const noteShape = object({ id: integer, body: string, author: optional(object({ id: integer })) });
const userShape = object({ id: integer });
const memberShape = object({ id: integer, access_level: integer });
const groupShape = object({ id: integer });

export function createMergeRequestGate(client: HttpClient, project: string | number) {
  const base = projectPath(project);
  const triggerJobs = createTriggerJobsReader(client);
  const mergeRequestPath = (iid: number): string => `${base}/merge_requests/${encodePathSegment(iid)}`;
  const all = async <T>(path: string, shape: Shape<T>, endpoint: string, query: Record<string, string> = {}): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of client.paginate(path, { query })) items.push(checkResponse(shape, item, endpoint));
    return items;
  };
  const json = async <T>(path: string, shape: Shape<T>, endpoint: string, query: Record<string, string | number> = {}): Promise<T> =>
    checkResponse(shape, (await client.request('GET', path, { query })).json(), endpoint);

  return {
    async mergeRequest(iid: number): Promise<{ targetBranch: string; headPipelineId: number | undefined }> {
      const mr = await json(mergeRequestPath(iid), mergeRequestShape, 'GET /projects/:id/merge_requests/:iid');
      return { targetBranch: mr.target_branch, headPipelineId: mr.head_pipeline?.id };
    },

    /** Commits with whether each is signed: the signature endpoint answers 404 for an unsigned commit. */
    async commits(iid: number): Promise<{ sha: string; signed: boolean }[]> {
      const commits = await all(`${mergeRequestPath(iid)}/commits`, commitShape, 'GET /projects/:id/merge_requests/:iid/commits');
      return Promise.all(
        commits.map(async (commit) => {
          const response = await client.request('GET', `${base}/repository/commits/${encodePathSegment(commit.id)}/signature`, { acceptStatuses: [404] });
          return { sha: commit.id, signed: response.status !== 404 };
        }),
      );
    },

    /**
     * docs "api/pipelines": the newest successful pipeline of a branch that is not a child pipeline,
     * undefined when there is none. The list holds child pipelines too (source `parent_pipeline`,
     * same ref), and a composed child is newer than its parent; its reports are read through the
     * parent, whose policy:compose report says which jobs to trust.
     */
    async latestSuccessfulPipeline(ref: string): Promise<number | undefined> {
      const query = { ref, status: 'success', order_by: 'id', sort: 'desc', per_page: 20 };
      const pipelines = await json(`${base}/pipelines`, pipelinesShape, 'GET /projects/:id/pipelines', query);
      return pipelines.find((pipeline) => pipeline.source !== 'parent_pipeline')?.id;
    },

    /**
     * The compose report of a pipeline: the `policy-report.json` artifact of its `policy:compose`
     * job, found by name among the pipeline's own jobs (docs "api/jobs" lists the latest attempt of
     * each), never a file another job wrote. undefined with the reason when there is none.
     */
    async composeReport(pipelineId: number): Promise<{ readonly jobId: number; readonly report: unknown } | { readonly missing: string }> {
      const jobs = await all(`${base}/pipelines/${encodePathSegment(pipelineId)}/jobs`, jobShape, 'GET /projects/:id/pipelines/:pipeline_id/jobs');
      const compose = jobs.filter((job) => job.name === COMPOSE_JOB).sort((a, b) => b.id - a.id)[0];
      if (compose === undefined) return { missing: `pipeline #${pipelineId} has no ${COMPOSE_JOB} job` };
      const response = await client.request('GET', `${base}/jobs/${encodePathSegment(compose.id)}/artifacts/${encodePathSegment(COMPOSE_REPORT)}`, { acceptStatuses: [404] });
      if (response.status === 404) return { missing: `${COMPOSE_JOB} (job ${compose.id}) of pipeline #${pipelineId} has no ${COMPOSE_REPORT} artifact` };
      try {
        return { jobId: compose.id, report: JSON.parse(response.text()) as unknown };
      } catch {
        return { missing: `${COMPOSE_REPORT} of ${COMPOSE_JOB} (job ${compose.id}) is not JSON` };
      }
    },

    /**
     * The gl-*.json report files (docs "api/job_artifacts", by artifact path; 404s skipped) of the
     * jobs named in `trusted` that ran in the composed child pipelines: the downstream pipelines,
     * in this project, of the pipeline's trigger jobs `policy:pipeline` and `policy:pre` (the
     * templates' bridges; another trigger job is the project's). Report files of other jobs are
     * listed in `ignored`, not read. Names are `<job>/<path>`.
     */
    async trustedReportArtifacts(pipelineId: number, trusted: ReadonlySet<string>): Promise<{ readonly files: ReportArtifact[]; readonly children: number[]; readonly ignored: string[] }> {
      const children = await childPipelines(pipelineId);
      const jobsOf = await Promise.all(children.map((id) => all(`${base}/pipelines/${encodePathSegment(id)}/jobs`, jobShape, 'GET /projects/:id/pipelines/:pipeline_id/jobs')));
      const wanted = new Map<string, { jobId: number; path: string }>();
      const ignored: string[] = [];
      for (const job of jobsOf.flat()) {
        for (const artifact of job.artifacts ?? []) {
          const path = (artifact.filename ?? '').replace(/\.gz$/, '');
          const name = `${job.name}/${path}`;
          if (!REPORT_FILE_TYPES.has(artifact.file_type) || !/^gl-[^/]*\.json$/.test(path)) continue;
          if (!trusted.has(job.name)) ignored.push(name);
          else if (!wanted.has(name)) wanted.set(name, { jobId: job.id, path });
        }
      }
      const files = await Promise.all(
        [...wanted].map(async ([name, { jobId, path }]) => {
          const response = await client.request('GET', `${base}/jobs/${encodePathSegment(jobId)}/artifacts/${encodePathSegment(path)}`, { acceptStatuses: [404] });
          return response.status === 404 ? [] : [{ name, text: response.text() }];
        }),
      );
      return { files: files.flat(), children, ignored: [...new Set(ignored)].sort() };
    },

    /**
     * MR approval rules named after each policy rule: created or updated when required, removed
     * when not. 403/404 on the list: the tier (or the project's "prevent editing approval rules
     * in merge requests" setting) does not allow them.
     */
    async syncApprovalRules(iid: number, wanted: readonly WantedApprovalRule[]): Promise<ApprovalRuleSync> {
      const rulesPath = `${mergeRequestPath(iid)}/approval_rules`;
      // Every page (docs "api/merge_request_approvals": the list takes page and per_page): a rule
      // missed on a later page would be created again, and GitLab refuses the duplicate name (400).
      const existing = await absentOn([403, 404], all(rulesPath, approvalRuleShape, 'GET /projects/:id/merge_requests/:iid/approval_rules'));
      if (existing === undefined) return { available: false, changes: [] };
      const resolve = approverResolver();
      const changes: string[] = [];
      for (const rule of wanted) {
        const current = existing.find((item) => item.name === rule.name && (item.rule_type ?? 'regular') === 'regular');
        if (rule.approvalsRequired === undefined) {
          if (current === undefined) continue;
          await client.request('DELETE', `${rulesPath}/${encodePathSegment(current.id)}`);
          changes.push(`removed approval rule "${rule.name}"`);
          continue;
        }
        const body = { name: rule.name, approvals_required: rule.approvalsRequired, ...(await resolve(rule.approvers)) };
        const sent = current === undefined ? await client.request('POST', rulesPath, { json: body, acceptStatuses: [403] }) : await client.request('PUT', `${rulesPath}/${encodePathSegment(current.id)}`, { json: body });
        if (sent.status === 403) return { available: false, changes };
        changes.push(`${current === undefined ? 'created' : 'updated'} approval rule "${rule.name}" (${rule.approvalsRequired} approval(s))`);
      }
      return { available: true, changes };
    },

    /**
     * Keeps exactly one comment carrying `marker`: created when there is something to say, edited
     * in place afterwards, turned into `resolvedBody` when the violations are gone (as GitLab
     * does), never duplicated (extra copies, e.g. from a race, are deleted).
     */
    async syncComment(iid: number, marker: string, body: string | undefined, resolvedBody: string): Promise<CommentSync> {
      const notesPath = `${mergeRequestPath(iid)}/notes`;
      const notes = await all(notesPath, noteShape, 'GET /projects/:id/merge_requests/:iid/notes', { sort: 'asc', order_by: 'created_at' });
      const marked = notes.filter((note) => note.body.startsWith(marker));
      // Only a note's author may edit or delete it (lib/api/helpers/notes_helpers.rb
      // `authorize! :admin_note`): after a token change the earlier comment is another user's,
      // so it is left as it is and this token keeps a note of its own.
      const me = marked.length === 0 ? undefined : (await json('/user', userShape, 'GET /user')).id;
      const [ours, ...copies] = marked.filter((note) => note.author?.id === me);
      for (const copy of copies) await client.request('DELETE', `${notesPath}/${encodePathSegment(copy.id)}`, { acceptStatuses: [403] });
      // An earlier token's comment may still list violations: a resolution is said in a new note.
      const wanted = body ?? (marked.length === 0 ? undefined : resolvedBody);
      if (wanted === undefined) return 'none';
      if (ours === undefined) {
        if (body === undefined && marked.at(-1)?.body === resolvedBody) return 'unchanged';
        await client.request('POST', notesPath, { json: { body: wanted } });
        return 'created';
      }
      if (ours.body === wanted) return 'unchanged';
      const edited = await client.request('PUT', `${notesPath}/${encodePathSegment(ours.id)}`, { json: { body: wanted }, acceptStatuses: [403] });
      if (edited.status === 403) {
        await client.request('POST', notesPath, { json: { body: wanted } });
        return 'created';
      }
      return body === undefined ? 'resolved' : 'updated';
    },
  };

  /**
   * The downstream pipelines, in this project, of a pipeline's composed-pipeline trigger jobs (docs
   * "api/jobs", "List pipeline trigger jobs"). Compared by project id: a gate made with a project
   * path cannot tell.
   */
  async function childPipelines(pipelineId: number): Promise<number[]> {
    const bridges = checkResponse(list(bridgeShape), await triggerJobs(`${base}/pipelines/${encodePathSegment(pipelineId)}`), 'GET /projects/:id/pipelines/:pipeline_id/trigger_jobs');
    const inProject = (projectId: number): boolean => typeof project !== 'number' || projectId === project;
    const ids = bridges.flatMap((bridge) =>
      COMPOSED_PIPELINE_BRIDGES.has(bridge.name) && bridge.downstream_pipeline !== null && inProject(bridge.downstream_pipeline.project_id) ? [bridge.downstream_pipeline.id] : [],
    );
    return [...new Set(ids)];
  }

  /** Usernames go as they are; group paths and roles are turned into ids (members read once). */
  function approverResolver(): (spec: ApproverSpec) => Promise<{ user_ids: number[]; usernames: string[]; group_ids: number[] }> {
    let members: Promise<{ id: number; access_level: number }[]> | undefined;
    return async (spec) => {
      const groupIds = await Promise.all(
        spec.groupPaths.map(async (path) => {
          const response = await client.request('GET', groupPath(path), { acceptStatuses: [404] });
          if (response.status === 404) throw new SourceError('approver-group-missing', `group approver ${path} was not found`, { hint: 'Check group_approvers in the policy, and that the token can read the group.' });
          return checkResponse(groupShape, response.json(), 'GET /groups/:id').id;
        }),
      );
      const levels = spec.roles.flatMap((role) => (typeof role === 'string' && ACCESS_LEVELS[role] !== undefined ? [ACCESS_LEVELS[role]] : []));
      let roleUsers: number[] = [];
      if (levels.length > 0) {
        members ??= all(`${base}/members/all`, memberShape, 'GET /projects/:id/members/all');
        roleUsers = (await members).filter((member) => levels.includes(member.access_level)).map((member) => member.id);
      }
      return {
        user_ids: [...new Set([...spec.userIds, ...roleUsers])].sort((a, b) => a - b),
        usernames: [...spec.usernames],
        group_ids: [...new Set([...spec.groupIds, ...groupIds])].sort((a, b) => a - b),
      };
    };
  }
}

export type MergeRequestGate = ReturnType<typeof createMergeRequestGate>;
