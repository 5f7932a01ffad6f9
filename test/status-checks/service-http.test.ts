/**
 * The status-check service as an HTTP server on 127.0.0.1: signature checks (nothing reaches
 * GitLab without a valid one), body limit, health and readiness, configuration, restart and
 * graceful shutdown. msw fails the test on any GitLab request a test did not expect.
 */
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { signBody } from '../../src/http/signature.js';
import { useGitlab } from '../http/gitlab-server.js';
import { createStatusCheckWorld, FAKE_GITLAB, FAKE_TOKEN, statusCheckHandlers, type StatusCheckWorld } from '../http/status-check-gitlab.js';
import { composedWorld, mergeRequestPayload, postStatusCheck, SECRET, send, startService, until, type RunningService } from './harness.js';

let world: StatusCheckWorld = createStatusCheckWorld();
const gitlab = useGitlab(statusCheckHandlers(() => world, ['merge-request', 'bridges', 'jobs', 'artifact', 'answer', 'version']));
const running: RunningService[] = [];

beforeEach(() => {
  world = createStatusCheckWorld();
});

afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

async function start(...args: string[]): Promise<RunningService> {
  const service = await startService(gitlab.dispatcher, { args });
  running.push(service);
  return service;
}

describe('signature', () => {
  it.each([
    ['no signature', null],
    ['a wrong signature', signBody('another secret', JSON.stringify({ object_kind: 'merge_request' }))],
    ['a sha256= prefixed signature', `sha256=${'0'.repeat(64)}`],
    ['a truncated signature', 'abcd'],
  ])('answers 401 to %s and calls nothing', async (_case, signature) => {
    const service = await start();
    const reply = await postStatusCheck(service, mergeRequestPayload(world), signature);
    expect(reply).toEqual({ status: 401, body: { message: '401 Unauthorized' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gitlab.requests).toEqual([]);
  });

  it('checks the signature over the raw bytes, not a re-serialisation', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    const service = await start();
    const raw = JSON.stringify(mergeRequestPayload(world), null, 3);
    expect((await postStatusCheck(service, raw, signBody(SECRET, JSON.stringify(JSON.parse(raw))))).status).toBe(401);
    expect((await postStatusCheck(service, raw)).status).toBe(202);
    await until(() => world.answers.length === 1, 'the answer');
  });

  it('never logs the secret, the signature or the token', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    const service = await start('--log-level', 'trace');
    const body = JSON.stringify(mergeRequestPayload(world));
    await postStatusCheck(service, body);
    await postStatusCheck(service, body, 'f'.repeat(64));
    await until(() => world.answers.length === 1, 'the answer');
    const text = service.logText();
    expect(text).toContain('"route":"/status-check"');
    for (const secret of [SECRET, FAKE_TOKEN, signBody(SECRET, body), 'f'.repeat(64)]) expect(text).not.toContain(secret);
  });
});

describe('requests', () => {
  it('answers 413 to a body over 1 MiB, before reading it', async () => {
    const service = await start();
    const reply = await postStatusCheck(service, JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }));
    expect(reply.status).toBe(413);
    expect(gitlab.requests).toEqual([]);
  });

  it('answers 400 to a signed body that is not a merge request payload', async () => {
    const service = await start();
    expect(await postStatusCheck(service, '{"object_kind":"merge_request","project":{}}')).toEqual({ status: 400, body: { message: '$.project.id: expected a positive integer' } });
    expect((await postStatusCheck(service, 'not json')).status).toBe(400);
  });

  it('ignores merged and closed merge requests', async () => {
    const service = await start();
    expect(await postStatusCheck(service, mergeRequestPayload(world, { state: 'merged' }))).toEqual({ status: 200, body: { evaluation: 'ignored', reason: 'merge request is merged' } });
  });
});

describe('health and readiness', () => {
  it('is alive, and ready once GitLab answers; the readiness check is cached', async () => {
    const service = await start();
    expect(await send(`${service.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await send(`${service.url}/readyz`)).toEqual({ status: 200, body: { ready: true } });
    expect(await send(`${service.url}/readyz`)).toEqual({ status: 200, body: { ready: true } });
    expect(gitlab.requests.map((request) => request.url)).toEqual([`${FAKE_GITLAB}/api/v4/version`]);
  });

  it('is not ready when GitLab refuses the token', async () => {
    world.versionStatus = 401;
    const service = await start();
    const reply = await send(`${service.url}/readyz`);
    expect(reply).toEqual({ status: 503, body: { ready: false } });
    expect(service.logs().find((line) => line.msg === 'not ready')?.['reason']).toContain('401');
  });
});

describe('GitLab before 15.0', () => {
  it('is not ready, saying why: a failed status-check answer would be stored as passed', async () => {
    world.gitlabVersion = '14.10.5-ee';
    const service = await start();
    const reply = await send(`${service.url}/readyz`);
    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({ ready: false });
    expect(service.logs().find((line) => line.msg === 'not ready')?.['reason']).toContain('status checks need GitLab 15.0 or later');
  });
});

describe('configuration', () => {
  it('refuses to start without the shared secret', async () => {
    let stderr = '';
    const io = { stdout: { write: () => undefined }, stderr: { write: (text: string) => void (stderr += text) }, env: { CI_SERVER_URL: FAKE_GITLAB, POLICY_SIDECAR_TOKEN: FAKE_TOKEN }, cwd: '.' };
    expect(await runCli(['serve', '--port', '0'], io)).toBe(2);
    expect(stderr).toContain('POLICY_SIDECAR_STATUS_CHECK_SECRET is not set');
  });

  it('uses configured required jobs instead of the report', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    world.childJobs.push({ id: 30, name: 'license-scan', status: 'failed' });
    const service = await start('--required-job', 'license-scan');
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'the answer');
    expect(world.answers.map((answer) => answer.status)).toEqual(['failed']);
  });
});

describe('lifecycle', () => {
  it('works again after a restart', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    const first = await start();
    await postStatusCheck(first, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'the first answer');
    expect(await first.stop()).toBe(0);
    await expect(send(`${first.url}/healthz`)).rejects.toThrow();
    const second = await start();
    await postStatusCheck(second, mergeRequestPayload(world));
    await until(() => world.answers.length === 2, 'the second answer');
    expect(world.answers.map((answer) => answer.status)).toEqual(['passed', 'passed']);
  });

  it('shuts down gracefully: the in-flight request finishes, then it exits 0 and accepts nothing', async () => {
    composedWorld(world, { 'secret-scan': 'success' });
    const service = await start('--log-level', 'debug');
    const body = Buffer.from(JSON.stringify(mergeRequestPayload(world)));
    const stream = new PassThrough();
    const reply = request(`${service.url}/status-check`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'x-gitlab-signature': signBody(SECRET, body) },
    });
    stream.write(body.subarray(0, 10));
    // In flight: the server has the request's headers, not yet its whole body.
    await until(() => service.logs().some((line) => line.msg === 'request started'), 'the request reaching the server', 30_000);
    const exit = service.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.end(body.subarray(10));
    const response = await reply;
    expect(response.statusCode).toBe(202);
    await response.body.text();
    expect(await exit).toBe(0);
    await expect(send(`${service.url}/healthz`)).rejects.toThrow();
    expect(service.logs().map((line) => line.msg)).toContain('stopped');
  });

  it('ends a pending evaluation on shutdown without posting more', async () => {
    composedWorld(world, { 'secret-scan': 'running' }, 'running');
    const service = await start();
    await postStatusCheck(service, mergeRequestPayload(world));
    await until(() => world.answers.length === 1, 'the pending answer');
    expect(await service.stop()).toBe(0);
    world.childJobs = [{ id: 20, name: 'secret-scan', status: 'success' }];
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(world.answers.map((answer) => answer.status)).toEqual(['pending']);
    expect(service.logs().find((line) => line.msg === 'status check evaluation dropped')).toMatchObject({ why: 'stopped' });
  });
});
