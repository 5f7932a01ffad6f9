/**
 * `serve` with a store answers the store's questions read-only over real HTTP, only with the
 * bearer token, and refuses to start with a store but no token. No GitLab request is made (an
 * Agent with no mock: any request would fail the readiness, which is not asked).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyIdOf } from '../../src/store/policy-id.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { send, startService, type RunningService } from '../status-checks/harness.js';
import { copyExamples } from './sync-fixture.js';

const TOKEN = 'store-api-token-for-tests-0123';
const SUPPLY_CHAIN = policyIdOf('security/policies', 'pipeline_execution_policy', 'Supply-chain checks');
let store: string;
let service: RunningService;

beforeAll(async () => {
  const dir = await copyExamples();
  store = join(await mkdtemp(join(tmpdir(), 'serve-store-')), 'store');
  const synced = await runInProcess(['sync', '--workspace', dir, '--policy-project', 'security/policies', '--store', store], dir);
  if (synced.code !== 0) throw new Error(synced.stderr);
  await runInProcess(['compose', '--workspace', dir, '--project', 'acme/web', '--policy-project', 'security/policies', '--store', store, '--pipeline-id', '12'], dir);
  // The merge request's approval verdict of the same pipeline (a violated policy: exit 1).
  await runInProcess(['evaluate', '--workspace', dir, '--project', 'acme/web', '--policy-project', 'security/policies', '--mr-target', 'main', '--reports', join(dir, 'reports/mr'), '--target-reports', join(dir, 'reports/main'), '--store', store, '--pipeline-id', '12'], dir);
  service = await startService(new Agent(), { args: ['--store', store], env: { POLICY_SIDECAR_STORE_API_TOKEN: TOKEN } });
}, 120_000);
afterAll(async () => {
  await service?.stop();
});

const get = (path: string, token: string | null = TOKEN) => send(`${service.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe('serve: the policy store over HTTP', () => {
  it('answers policies, one policy, its history, a project and coverage', async () => {
    const list = await get('/store/policies');
    expect(list.status).toBe(200);
    expect((list.body as { id: string }[]).map((policy) => policy.id)).toContain(SUPPLY_CHAIN);
    expect((await get(`/store/policies/${SUPPLY_CHAIN}`)).body).toMatchObject({ name: 'Supply-chain checks', version: { number: 1 } });
    expect((await get(`/store/policies/${SUPPLY_CHAIN}/history`)).body).toMatchObject([{ number: 1 }]);
    const project = (await get('/store/projects/acme/web')).body;
    expect(project).toMatchObject({ path: 'acme/web', lastPipeline: { pipelineId: 12, result: 'composed', approval: { pipelineId: 12, result: 'violated', exitCode: 1 } } });
    expect((project as { lastApproval: unknown }).lastApproval).toEqual((project as { lastPipeline: { approval: unknown } }).lastPipeline.approval);
    const coverage = await get(`/store/coverage?policy=${SUPPLY_CHAIN}`);
    expect((coverage.body as { projects: { projectPath: string; status: string }[] }).projects.map((row) => [row.projectPath, row.status])).toEqual([
      ['acme/api', 'not-run'],
      ['acme/ci-templates', 'not-run'],
      ['acme/web', 'ran'],
    ]);
  });

  it('answers 401 without the token or with a wrong one, and 404 for what it does not have', async () => {
    expect((await get('/store/policies', null)).status).toBe(401);
    expect((await get('/store/policies', 'wrong-token')).status).toBe(401);
    expect((await get('/store/projects/acme/nope')).status).toBe(404);
    expect((await get('/store/policies/nope')).status).toBe(404);
  });

  it('refuses to start with a store but without POLICY_SIDECAR_STORE_API_TOKEN', async () => {
    await expect(startService(new Agent(), { args: ['--store', store] })).rejects.toThrow(/POLICY_SIDECAR_STORE_API_TOKEN is not set: refusing to serve the policy store without a token/);
  });
});
