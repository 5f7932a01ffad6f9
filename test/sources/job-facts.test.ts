/**
 * readJobFacts against GitLab's answers on msw's wire: `GET /job` with the JOB-TOKEN only, the
 * project by the pipeline's project_id, the merge request named by a `refs/merge-requests/<iid>/*`
 * ref; tags; refs that are none of these; answers of another shape.
 */
import { describe, expect, it } from 'vitest';
import { readJobFacts } from '../../src/sources/gitlab/job-facts.js';
import { answerWith, gitlabHandlersFor } from '../http/gitlab-handlers.js';
import type { FakeJob } from '../http/gitlab-instance.js';
import { useGitlab } from '../http/gitlab-server.js';
import { API_URL, requestedPaths, testClient } from './gitlab-test-source.js';

const gitlab = useGitlab();
const SHA = '0ec9e58fdfca6cdd6652c083c9edb53abc0bad52';
const job = (overrides: Partial<FakeJob>): FakeJob => ({ token: 'glcbt-job', id: 9, project: 'acme/web', pipelineId: 300, source: 'push', ref: 'main', sha: SHA, ...overrides });

function read(fake: FakeJob, token = fake.token) {
  gitlab.use(...gitlabHandlersFor('examples/workspace', { only: fake.ref.startsWith('refs/merge-requests/') ? ['job', 'project', 'merge-request'] : ['job', 'project'], job: fake }));
  return readJobFacts(testClient(gitlab, { credential: { header: 'JOB-TOKEN', value: token } }), testClient(gitlab));
}

describe('readJobFacts', () => {
  it('a branch pipeline: the project by id, the branch from the ref; the job token only on GET /job', async () => {
    expect(await read(job({}))).toEqual({ jobId: 9, projectId: 101, projectPath: 'acme/web', pipelineId: 300, pipelineSource: 'push', sha: SHA, branch: 'main', tag: undefined, mergeRequest: undefined });
    expect(requestedPaths(gitlab)).toEqual(['GET /job', 'GET /projects/101']);
    expect(gitlab.requests[0]?.headers['job-token']).toBe('glcbt-job');
    expect(gitlab.requests[1]?.headers['job-token']).toBeUndefined();
  });

  it('a tag pipeline: tag true, the ref is the tag', async () => {
    expect(await read(job({ ref: 'v1.0.0', tag: true }))).toMatchObject({ tag: 'v1.0.0', branch: undefined, mergeRequest: undefined });
  });

  it.each(['head', 'merge', 'train'])('a merge request pipeline (refs/merge-requests/42/%s): branches from the merge request', async (kind) => {
    const facts = await read(job({ source: 'merge_request_event', ref: `refs/merge-requests/42/${kind}` }));
    expect(facts).toMatchObject({ branch: 'feature/cart', tag: undefined, mergeRequest: { iid: 42, sourceBranch: 'feature/cart', targetBranch: 'main' } });
    // The project and the merge request go out together after GET /job, in either order.
    expect(requestedPaths(gitlab)[0]).toBe('GET /job');
    expect(requestedPaths(gitlab).slice(1).sort()).toEqual(['GET /projects/101', 'GET /projects/101/merge_requests/42']);
  });

  it('a token that is not the running job\'s: 401, nothing else asked', async () => {
    gitlab.use(...gitlabHandlersFor('examples/workspace', { only: ['job'], job: job({}) }));
    await expect(readJobFacts(testClient(gitlab, { credential: { header: 'JOB-TOKEN', value: 'stolen' } }), testClient(gitlab))).rejects.toMatchObject({ code: 'http-401' });
    expect(requestedPaths(gitlab)).toEqual(['GET /job']);
  });

  it('a ref under refs/ that is not a merge request: refused before anything else is asked', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/job`, { json: { id: 9, ref: 'refs/pipelines/300', tag: false, pipeline: { id: 300, project_id: 101, sha: SHA, ref: 'refs/pipelines/300', source: 'push' } } }));
    await expect(readJobFacts(testClient(gitlab, { credential: { header: 'JOB-TOKEN', value: 'x' } }), testClient(gitlab))).rejects.toMatchObject({ code: 'job-ref-unknown' });
    expect(requestedPaths(gitlab)).toEqual(['GET /job']);
  });

  it('an answer without the pipeline: gitlab-response-shape naming the field', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/job`, { json: { id: 9, ref: 'main', tag: false } }));
    await expect(readJobFacts(testClient(gitlab, { credential: { header: 'JOB-TOKEN', value: 'x' } }), testClient(gitlab))).rejects.toThrow('GET /job answered with an unexpected shape: $.pipeline');
  });
});
