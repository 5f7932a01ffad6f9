/**
 * `GET /projects/:id/merge_requests` of the fake instance (docs "api/merge_requests", "List
 * project merge requests"): the project's merge requests from workspace.yml, filtered by `state`
 * (default `all`), `source_branch` and `target_branch`, newest first (GitLab's default order,
 * `created_at desc`; here iid desc, as iids grow with creation) or oldest first with `sort=asc`,
 * paginated with GitLab's headers.
 */
import { HttpResponse } from 'msw';
import type { WorkspaceMergeRequest } from '../../src/sources/workspace/metadata.js';
import type { FakeGitlab, FakeProject } from './gitlab-instance.js';
import { gitlabError, jsonResponse, paginated } from './gitlab-responses.js';

const STATES = ['opened', 'closed', 'locked', 'merged', 'all'];

export function mergeRequestsOf(request: Request, fake: FakeGitlab, project: FakeProject): Response {
  const query = new URL(request.url).searchParams;
  const state = query.get('state') ?? 'all';
  // Grape's answer to a parameter outside its `values:`.
  if (!STATES.includes(state)) return HttpResponse.json({ error: 'state does not have a valid value' }, { status: 400 });
  const sourceBranch = query.get('source_branch');
  const targetBranch = query.get('target_branch');
  const selected = project.mergeRequests
    .filter((mergeRequest) => state === 'all' || mergeRequest.state === state)
    .filter((mergeRequest) => sourceBranch === null || mergeRequest.sourceBranch === sourceBranch)
    .filter((mergeRequest) => targetBranch === null || mergeRequest.targetBranch === targetBranch)
    .sort((a, b) => (query.get('sort') === 'asc' ? a.iid - b.iid : b.iid - a.iid));
  return paginated(request, selected.map((mergeRequest) => mergeRequestJson(fake, project, mergeRequest)));
}

/** `GET /projects/:id/merge_requests/:iid` ("Get single MR"): 404 for an iid the project does not have. */
export function mergeRequestOf(request: Request, fake: FakeGitlab, project: FakeProject, iid: string): Response {
  const mergeRequest = project.mergeRequests.find((candidate) => String(candidate.iid) === iid);
  if (mergeRequest === undefined) return gitlabError(404, '404 Not found');
  return jsonResponse(request, mergeRequestJson(fake, project, mergeRequest));
}

/** The fields of GitLab's list entry that a reader may look at; ids derived from the project's. */
function mergeRequestJson(fake: FakeGitlab, project: FakeProject, mergeRequest: WorkspaceMergeRequest): Record<string, unknown> {
  return {
    id: project.id * 1000 + mergeRequest.iid,
    iid: mergeRequest.iid,
    project_id: project.id,
    title: `${mergeRequest.sourceBranch} into ${mergeRequest.targetBranch}`,
    state: mergeRequest.state,
    created_at: '2024-01-01T00:00:00.000Z',
    target_branch: mergeRequest.targetBranch,
    source_branch: mergeRequest.sourceBranch,
    source_project_id: project.id,
    target_project_id: project.id,
    draft: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    references: { short: `!${mergeRequest.iid}`, full: `${project.path}!${mergeRequest.iid}` },
    web_url: `${fake.baseUrl}/${project.path}/-/merge_requests/${mergeRequest.iid}`,
  };
}
