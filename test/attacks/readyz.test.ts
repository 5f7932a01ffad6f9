/**
 * Attack: anyone who can reach the status-check service (it listens on every interface by
 * default) asks `/readyz` to learn where GitLab is and why it fails (an error text, a status, a
 * proxy address). Expected: `/readyz` answers only `{"ready":true}` (200) or `{"ready":false}`
 * (503), over real HTTP; why it is not ready is in the service's log only.
 */
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useGitlab } from '../http/gitlab-server.js';
import { createStatusCheckWorld, FAKE_GITLAB, FAKE_TOKEN, statusCheckHandlers, type StatusCheckWorld } from '../http/status-check-gitlab.js';
import { startService, type RunningService } from '../status-checks/harness.js';

let world: StatusCheckWorld = createStatusCheckWorld();
const gitlab = useGitlab(statusCheckHandlers(() => world, ['version']));
const running: RunningService[] = [];

beforeEach(() => {
  world = createStatusCheckWorld();
});

afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

async function probe(): Promise<{ service: RunningService; status: number; body: string; contentType: string }> {
  const service = await startService(gitlab.dispatcher);
  running.push(service);
  // A client of its own: nothing of the test's GitLab dispatcher is involved in this request.
  const response = await request(`${service.url}/readyz`);
  return { service, status: response.statusCode, body: await response.body.text(), contentType: String(response.headers['content-type']) };
}

describe('/readyz without authentication tells only ready or not', () => {
  it('GitLab refuses the token: 503 {"ready":false}, the reason only in the log', async () => {
    world.versionStatus = 401;
    const { service, status, body } = await probe();
    expect(status).toBe(503);
    expect(body).toBe('{"ready":false}');
    const reason = service.logs().find((line) => line.msg === 'not ready')?.['reason'];
    expect(reason).toEqual(expect.stringContaining('401'));
    expect(service.logText()).not.toContain(FAKE_TOKEN);
  });

  it('GitLab fails: 503 {"ready":false}, no address, status or error text in the answer', async () => {
    world.versionStatus = 500;
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body).toBe('{"ready":false}');
    for (const leak of [new URL(FAKE_GITLAB).host, '500', 'GitLab', 'reason']) expect(body).not.toContain(leak);
  });

  it('GitLab answers: 200 {"ready":true} and nothing else', async () => {
    const { status, body, contentType } = await probe();
    expect(status).toBe(200);
    expect(body).toBe('{"ready":true}');
    expect(contentType).toMatch(/^application\/json/);
  });
});
