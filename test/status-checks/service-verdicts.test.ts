/**
 * The status-check service end to end over real HTTP: signed GitLab requests in, answers posted
 * to the status-check response API (msw at the wire; an unmocked request fails the test).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useGitlab } from '../http/gitlab-server.js';
import { createStatusCheckWorld, statusCheckHandlers, type StatusCheckWorld } from '../http/status-check-gitlab.js';
import { CHECK_ID, composedWorld, mergeRequestPayload, postStatusCheck, startService, until, type RunningService } from './harness.js';

let world: StatusCheckWorld = createStatusCheckWorld();
const gitlab = useGitlab(statusCheckHandlers(() => world, ['merge-request', 'bridges', 'jobs', 'artifact', 'answer', 'graphql', 'version']));
let service: RunningService;

beforeEach(async () => {
  world = createStatusCheckWorld();
  service = await startService(gitlab.dispatcher);
});

afterEach(async () => {
  expect(await service.stop()).toBe(0);
});

const answered = (): string[] => world.answers.map((answer) => answer.status);

describe('GitLab versions', () => {
  it('GitLab 14.10 would store a failed answer as passed: nothing is answered, the evaluation fails naming the version', async () => {
    world.gitlabVersion = '14.10.5-ee';
    composedWorld(world, { 'secret-scan': 'failed' });
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => service.logs().some((line) => line.code === 'gitlab-version-unsupported'), 'the refusal');
    expect(world.answers).toEqual([]);
    expect(service.logs().find((line) => line.code === 'gitlab-version-unsupported')).toMatchObject({
      message: 'GitLab 14.10.5-ee stores a failed status-check answer as passed: status checks need GitLab 15.0 or later',
    });
  });

  it('an instance without /trigger_jobs (404, no such route) is read through /bridges', async () => {
    world.triggerJobsRoute = false;
    composedWorld(world, { 'secret-scan': 'failed' });
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['failed']);
    const routes = gitlab.requests.map((request) => new URL(request.url).pathname).filter((path) => /\/(trigger_jobs|bridges)$/.test(path));
    expect(routes).toEqual(['/api/v4/projects/7/pipelines/100/trigger_jobs', '/api/v4/projects/7/pipelines/100/bridges']);
  });
});

describe('verdicts answered through the response API', () => {
  it('passes when every policy job of the composed child pipeline succeeded on the head SHA', async () => {
    composedWorld(world, { 'secret-scan': 'success', 'policy-lint': 'success' });
    const reply = await postStatusCheck(service, mergeRequestPayload(world));
    expect(reply).toEqual({ status: 202, body: { evaluation: 'started' } });
    await until(() => world.answers.length === 1, 'one answer');
    expect(world.answers).toEqual([{ sha: world.headSha, external_status_check_id: CHECK_ID, status: 'passed' }]);
    // The project's own failing job (origin: project) does not count.
    expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'policy-jobs-passed' });
  });

  it('fails when a required policy job failed', async () => {
    composedWorld(world, { 'secret-scan': 'failed', 'policy-lint': 'success' });
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['failed']);
  });

  describe('two-file layout: required pre jobs run in the pre pipeline (policy:pre)', () => {
    const withPrePipeline = (preStatus: string): void => {
      composedWorld(world, { 'secret-scan': 'success' });
      world.preBridge = { status: preStatus, child: { id: 102, sha: world.headSha, ref: 'refs/merge-requests/3/head', status: preStatus } };
      world.preJobs = [{ id: 30, name: 'license-check', status: preStatus }];
      const report = world.report as { jobs: Record<string, unknown>[] }; // set just above by composedWorld
      report.jobs.unshift({ name: 'license-check', originalName: 'license-check', origin: 'policy', policy: 'Gate', stage: 'policy-sidecar:pipeline-policy-pre', pipeline: 'pre' });
    };

    it('passes when the pre job passed in the pre pipeline and the rest in the composed one', async () => {
      withPrePipeline('success');
      await postStatusCheck(service, mergeRequestPayload(world));
      await until(() => world.answers.length === 1, 'one answer');
      expect(answered()).toEqual(['passed']);
    });

    it('fails when a required pre job is in neither pipeline', async () => {
      withPrePipeline('success');
      world.preJobs = [];
      await postStatusCheck(service, mergeRequestPayload(world));
      await until(() => world.answers.length === 1, 'one answer');
      expect(answered()).toEqual(['failed']);
      expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'job-missing' });
    });

    it('fails when the pre pipeline failed, so policy:pipeline created nothing', async () => {
      withPrePipeline('failed');
      world.bridge = { status: 'skipped', child: null };
      await postStatusCheck(service, mergeRequestPayload(world));
      await until(() => world.answers.length === 1, 'one answer');
      expect(answered()).toEqual(['failed']);
      expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'child-pipeline-not-created' });
    });
  });

  it('answers pending while the pipeline runs, then re-answers when it finishes', async () => {
    composedWorld(world, { 'secret-scan': 'running' }, 'running');
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'the pending answer');
    expect(answered()).toEqual(['pending']);
    world.childJobs = [{ id: 20, name: 'secret-scan', status: 'success' }];
    await until(() => world.answers.length === 2, 'the final answer');
    expect(answered()).toEqual(['pending', 'passed']);
    expect(world.mergeRequestReads).toBeGreaterThanOrEqual(2);
  });

  it('fails a [skip ci] head commit that has no pipeline', async () => {
    await postStatusCheck(service, mergeRequestPayload(world, { message: 'Tweak docs [skip ci]' }));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['failed']);
    expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'skip-ci' });
  });

  it('fails when the head pipeline has no composed child pipeline', async () => {
    world.headPipeline = { id: 100, sha: world.headSha, ref: 'feature', status: 'success' };
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['failed']);
    expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'child-pipeline-missing' });
  });

  it('accepts a merged results pipeline only when GitLab ties it to the head commit', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    const mergeCommit = 'c'.repeat(40);
    world.headPipeline = { id: 100, sha: mergeCommit, ref: `refs/merge-requests/${world.iid}/merge`, status: 'success' };
    world.bridge = { status: 'success', child: { id: 101, sha: mergeCommit, ref: `refs/merge-requests/${world.iid}/merge`, status: 'success' } };
    world.graphqlHeadPipelineId = 100;
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['passed']);
  });

  it('runs one evaluation and posts one answer for concurrent requests about the same MR and SHA', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    let release: () => void = () => undefined;
    world.mergeRequestGate = new Promise((resolve) => (release = resolve));
    const replies = await Promise.all(Array.from({ length: 5 }, () => postStatusCheck(service, mergeRequestPayload(world))));
    expect(replies.map((reply) => reply.body)).toEqual([
      { evaluation: 'started' },
      ...Array.from({ length: 4 }, () => ({ evaluation: 'joined' })),
    ]);
    release();
    await until(() => world.answers.length === 1, 'one answer');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered()).toEqual(['passed']);
    expect(world.mergeRequestReads).toBe(1);
  });
});

describe('bounded waits', () => {
  it('answers failed (timed-out) when the pipeline is still running at the deadline', async () => {
    await service.stop();
    service = await startService(gitlab.dispatcher, { poll: { firstDelayMs: 20, maxDelayMs: 20, deadlineMs: 120 } });
    composedWorld(world, { 'secret-scan': 'running' }, 'running');
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 2, 'the final answer');
    expect(answered()).toEqual(['pending', 'failed']);
    expect(service.logs().filter((line) => line.msg === 'status check answered').map((line) => line.reason)).toEqual(['pipeline-running', 'timed-out']);
  });

  it('fails closed when GitLab answers in a way that cannot be evaluated', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    world.report = { version: 1, jobs: 'not a list' };
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['failed']);
    expect(service.logs().find((line) => line.msg === 'status check answered')).toMatchObject({ reason: 'required-jobs-unknown' });
  });
});

describe('GitLab API errors', () => {
  it('retries a 5xx through the HTTP client, then answers', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    world.mergeRequestFailures = [502, 503];
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'one answer');
    expect(answered()).toEqual(['passed']);
    expect(world.mergeRequestReads).toBe(3);
  });

  it('logs and drops a merge request GitLab does not know (404): nothing is posted', async () => {
    await postStatusCheck(service, { ...(mergeRequestPayload(world) as object), object_attributes: { iid: 99, state: 'opened', last_commit: { id: world.headSha, message: 'x' } } });
    await until(() => service.logs().some((line) => line.msg === 'status check evaluation dropped'), 'the drop');
    expect(service.logs().find((line) => line.msg === 'status check evaluation dropped')).toMatchObject({ why: 'merge-request-not-found' });
    expect(world.answers).toEqual([]);
  });

  it('drops a request whose SHA is no longer the head without posting', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    await postStatusCheck(service, mergeRequestPayload(world, { sha: 'd'.repeat(40) }));
    await until(() => service.logs().some((line) => line.msg === 'status check evaluation dropped'), 'the drop');
    expect(service.logs().find((line) => line.msg === 'status check evaluation dropped')).toMatchObject({ why: 'head-moved' });
    expect(world.answers).toEqual([]);
  });

  it('handles a 409 for a stale SHA: logged once, not retried, no further polling', async () => {
    composedWorld(world, { 'secret-scan': 'running' }, 'running');
    world.answerStatus = 409;
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'the refused answer');
    const reads = world.mergeRequestReads;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(world.answers).toHaveLength(1);
    expect(world.mergeRequestReads).toBe(reads);
    expect(service.logs().filter((line) => line.outcome === 'stale')).toHaveLength(1);
  });
});
