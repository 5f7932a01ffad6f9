/**
 * `serve` verifying pipelines from GitLab webhooks (issue 13): the service in-process on
 * 127.0.0.1, GitLab a stand-in over real HTTP (the example workspace's files and a pipeline's
 * recorded answers). Unsigned requests cost no GitLab call; duplicate and out-of-order webhooks
 * give one verdict; a running pipeline is pending and verified again when GitLab says it ended;
 * a `[skip ci]` head fails. Waits are on the verifier going idle, never on time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/commands/serve.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { openStore } from '../../src/store/open-store.js';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import type { WebhookVerifier } from '../../src/verify/webhook-verifications.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { recordedAnswerHandlers, type VerifierWrites } from '../http/verify-records.js';
import { send } from '../status-checks/harness.js';
import { newPgliteStoreFolder } from '../store/store-backends.js';
import { composeGoodReport, EXAMPLES } from './compose-good-report.js';
import { CENTRAL_CONFIG, gid, PIPELINE_ID, pipelineNode, PROJECT_ID, SHA, verifyCases, type Answers } from './recorded-pipelines.js';

const TOKEN = 'glpat-serve-verifier-0123456789';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';
const SKIP_SHA = 'feedface'.repeat(5);

let goodAnswers: Answers;
let switchedAnswers: Answers;
let ownConfigAnswers: Answers;
const stopAll: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const cases = verifyCases(await composeGoodReport());
  goodAnswers = cases.find((item) => item.name === 'good-pipeline')?.answers ?? {};
  switchedAnswers = cases.find((item) => item.name === 'config-file-switched-back')?.answers ?? {};
  ownConfigAnswers = cases.find((item) => item.name === 'config-file-switched')?.answers ?? {};
});
afterEach(async () => {
  for (const stop of stopAll.splice(0)) await stop();
});
afterAll(async () => {
  for (const stop of stopAll.splice(0)) await stop();
});

interface World {
  answers: Answers;
  pipelinesForSha: Record<string, unknown[]>;
  mergeRequestsForSha: Record<string, unknown[]>;
}

async function startWorld(world: World, extra: { readonly args: readonly string[]; readonly env: Record<string, string> } = { args: [], env: {} }) {
  const writes: VerifierWrites = { statuses: [], notes: [], graphqlReads: [] };
  // The handlers read `world` per request, so a test changes GitLab's answers between webhooks.
  const served: ServedHandlers = await serveHandlers((baseUrl) => [
    ...recordedAnswerHandlers(`${baseUrl}/api/v4`, new Proxy({}, { get: (_, key: string) => world.answers[key], has: (_, key: string) => key in world.answers }), {
      projectId: PROJECT_ID,
      projectPath: 'acme/web',
      pipelinesForSha: new Proxy({}, { get: (_, sha: string) => world.pipelinesForSha[sha] }),
      mergeRequestsForSha: new Proxy({}, { get: (_, sha: string) => world.mergeRequestsForSha[sha] }),
    }, writes),
    ...gitlabHandlersFor(EXAMPLES, { baseUrl, token: TOKEN }),
  ]);
  const parsed = parseCommandLine(['serve', '--host', '127.0.0.1', '--port', '0', '--policy-project', 'security/policies', '--central-config', CENTRAL_CONFIG, ...extra.args]);
  if (parsed.kind !== 'run' || parsed.command !== 'serve') throw new Error('serve arguments');
  let logs = '';
  const io = { stdout: { write: (text: string) => void (logs += text) }, stderr: { write: (text: string) => void (logs += text) }, env: { CI_SERVER_URL: served.url, POLICY_SIDECAR_TOKEN: TOKEN, POLICY_SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET, ...extra.env }, cwd: process.cwd() };
  let stop: (reason: string) => void = () => undefined;
  let verifier: WebhookVerifier | undefined;
  let ended: Promise<unknown> = Promise.resolve();
  const url = await new Promise<string>((resolve, reject) => {
    ended = runServe(parsed.options, io, { stopped: new Promise((done) => (stop = done)), onListening: resolve, onWebhookVerifier: (created) => (verifier = created) })
      .then((code) => (code === 0 ? undefined : reject(new Error(`serve ended ${code}: ${logs}`))))
      .catch(reject);
  });
  let stopping: Promise<void> | undefined;
  // Once, whether the test or afterEach asks first; runServe closes the store before it ends.
  const shutdown = () =>
    (stopping ??= (async () => {
      stop('SIGTERM');
      await verifier?.idle();
      await ended;
      await served.close();
    })());
  stopAll.push(shutdown);
  const post = (payload: unknown, token: string | null = WEBHOOK_SECRET) =>
    send(`${url}/webhook`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'X-Gitlab-Token': token }) } });
  const idle = async () => {
    await verifier?.idle();
  };
  return { served, writes, post, idle, shutdown, logs: () => logs };
}

const pipelineJson = (answers: Answers, patch: Record<string, unknown> = {}) => pipelineNode(answers, patch);

function pipelineHook(id: number, status: string, sha = SHA): unknown {
  return { object_kind: 'pipeline', object_attributes: { id, sha, ref: 'main', status, source: 'push' }, project: { id: PROJECT_ID, path_with_namespace: 'acme/web' }, merge_request: null };
}

function mergeRequestHook(sha: string, message: string): unknown {
  return { object_kind: 'merge_request', project: { id: PROJECT_ID, path_with_namespace: 'acme/web' }, object_attributes: { iid: 42, state: 'opened', last_commit: { id: sha, message } } };
}

describe('serve /webhook', () => {
  it('refuses unsigned and wrongly signed webhooks without a GitLab request', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const { served, post } = await startWorld(world);
    expect((await post(pipelineHook(PIPELINE_ID, 'success'), null)).status).toBe(401);
    expect((await post(pipelineHook(PIPELINE_ID, 'success'), 'wrong-secret')).status).toBe(401);
    expect((await post(pipelineHook(PIPELINE_ID, 'success'), WEBHOOK_SECRET.slice(0, -1))).status).toBe(401);
    expect(served.requests).toEqual([]);
  });

  it('answers other events 200 ignored, and a malformed pipeline event 400', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: {}, mergeRequestsForSha: {} };
    const { served, post } = await startWorld(world);
    expect(await post({ object_kind: 'push', project: { id: PROJECT_ID } })).toMatchObject({ status: 200, body: { verification: 'ignored' } });
    expect((await post({ object_kind: 'pipeline', project: { id: PROJECT_ID, path_with_namespace: 'acme/web' }, object_attributes: {} })).status).toBe(400);
    expect(served.requests).toEqual([]);
  });

  it('a duplicate webhook gives one verdict: one commit status success', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const { writes, post, idle } = await startWorld(world);
    expect((await post(pipelineHook(PIPELINE_ID, 'success'))).status).toBe(202);
    await idle();
    expect((await post(pipelineHook(PIPELINE_ID, 'success'))).status).toBe(202);
    await idle();
    expect(writes.statuses).toEqual([expect.objectContaining({ state: 'success', name: 'policy-sidecar/verified', pipeline_id: PIPELINE_ID, sha: SHA })]);
  });

  it('out of order: an older pipeline\'s late webhook does not replace the newest pipeline\'s verdict', async () => {
    const older = pipelineJson(switchedAnswers, { id: gid('Ci::Pipeline', 4990) });
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers), older] }, mergeRequestsForSha: {} };
    const { writes, post, idle } = await startWorld(world);
    await post(pipelineHook(PIPELINE_ID, 'success'));
    await idle();
    await post(pipelineHook(4990, 'success'));
    await idle();
    expect(writes.statuses.map((status) => [status['state'], status['pipeline_id']])).toEqual([['success', PIPELINE_ID]]);
  });

  it('a running pipeline is pending, and verified when GitLab says it ended', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers, { status: 'RUNNING' })] }, mergeRequestsForSha: {} };
    const { writes, post, idle } = await startWorld(world);
    await post(pipelineHook(PIPELINE_ID, 'running'));
    await idle();
    world.pipelinesForSha = { [SHA]: [pipelineJson(goodAnswers)] };
    await post(pipelineHook(PIPELINE_ID, 'success'));
    await idle();
    expect(writes.statuses.map((status) => status['state'])).toEqual(['pending', 'success']);
  });

  it('a [skip ci] head commit without a pipeline fails, with one note edited in place', async () => {
    const world: World = {
      answers: { ...goodAnswers, [`repository/commits/${SKIP_SHA}.json`]: { id: SKIP_SHA, message: 'Tidy up [skip ci]\n' } },
      pipelinesForSha: { [SKIP_SHA]: [] },
      mergeRequestsForSha: { [SKIP_SHA]: [{ iid: 42, source_branch: 'feature/cart', target_branch: 'main', sha: SKIP_SHA, state: 'opened' }] },
    };
    const { writes, post, idle } = await startWorld(world);
    await post(mergeRequestHook(SKIP_SHA, 'Tidy up [skip ci]\n'));
    await idle();
    await post(mergeRequestHook(SKIP_SHA, 'Tidy up [skip ci]\n'));
    await idle();
    expect(writes.statuses).toEqual([expect.objectContaining({ state: 'failed', name: 'policy-sidecar/verified', sha: SKIP_SHA })]);
    expect(writes.statuses[0]).not.toHaveProperty('pipeline_id');
    expect(writes.notes).toHaveLength(1);
    expect(writes.notes[0]?.body).toMatch(/has \[skip ci\]: no pipeline ran the policies/);
  });

  it('a head commit without a pipeline and without [skip ci] posts nothing: the pipeline\'s own webhook follows', async () => {
    const world: World = {
      answers: { ...goodAnswers, [`repository/commits/${SKIP_SHA}.json`]: { id: SKIP_SHA, message: 'Tidy up\n' } },
      pipelinesForSha: { [SKIP_SHA]: [] },
      mergeRequestsForSha: {},
    };
    const { writes, post, idle } = await startWorld(world);
    expect((await post(mergeRequestHook(SKIP_SHA, 'Tidy up\n'))).status).toBe(202);
    await idle();
    expect(writes.statuses).toEqual([]);
    expect(writes.graphqlReads).toEqual([`VerifyNewestPipeline ${SKIP_SHA}`]);
  });

  it('a failed pipeline after a fixed one on a new head: the note is edited, not duplicated', async () => {
    const world: World = {
      answers: switchedAnswers,
      pipelinesForSha: { [SHA]: [pipelineJson(switchedAnswers)] },
      mergeRequestsForSha: { [SHA]: [{ iid: 42, source_branch: 'feature/cart', target_branch: 'main', sha: SHA, state: 'opened' }] },
    };
    const { writes, post, idle } = await startWorld(world);
    await post(pipelineHook(PIPELINE_ID, 'success'));
    await idle();
    world.answers = goodAnswers;
    world.pipelinesForSha = { [SHA]: [pipelineJson(goodAnswers, { id: gid('Ci::Pipeline', PIPELINE_ID + 10) }), pipelineJson(switchedAnswers)] };
    await post(pipelineHook(PIPELINE_ID + 10, 'success'));
    await idle();
    expect(writes.statuses.map((status) => status['state'])).toEqual(['failed', 'success']);
    expect(writes.notes.map((note) => note.method)).toEqual(['POST', 'PUT']);
    expect(writes.notes[1]?.body).toMatch(/is verified/);
  });

  it('with a policy store, the verdict lands on the store\'s record of the pipeline', async () => {
    const dir = await newPgliteStoreFolder('serve-verdict-store-');
    // What compose --store wrote when the pipeline started.
    const before = await openStore({ kind: 'pglite', dir });
    await before.recordPipeline({ projectPath: 'acme/web', pipelineId: PIPELINE_ID, sha: SHA, ref: 'main', source: 'push', result: 'composed', policies: [] });
    await before.close();
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const { writes, post, idle, shutdown } = await startWorld(world, { args: ['--store', dir], env: { POLICY_SIDECAR_STORE_API_TOKEN: 'store-api-token-for-tests-0123' } });
    expect((await post(pipelineHook(PIPELINE_ID, 'success'))).status).toBe(202);
    await idle();
    expect(writes.statuses).toEqual([expect.objectContaining({ state: 'success', pipeline_id: PIPELINE_ID })]);
    await shutdown();
    const client = await openPgliteClient(dir);
    try {
      const rows = await client.query<{ verdict: string | null; verdict_detail: unknown }>('SELECT verdict, verdict_detail FROM pipeline_record WHERE project_path = $1 AND pipeline_id = $2', ['acme/web', PIPELINE_ID]);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.verdict).toBe('verified');
      const detail = typeof rows[0]?.verdict_detail === 'string' ? (JSON.parse(rows[0].verdict_detail) as unknown) : rows[0]?.verdict_detail;
      expect(detail).toMatchObject({ verifiedAt: expect.any(String), summary: expect.any(String), checks: expect.any(Array) });
    } finally {
      await client.close();
    }
    // Three PGlite starts (each a WebAssembly Postgres): about 30 s on a loaded 2-core machine, near the default timeout.
  }, 120_000);

  it('reads the head commit message with the configuration source (GraphQL), and over REST only when GitLab gives no commit there', async () => {
    const commitRequests = (requests: readonly string[]) => requests.filter((request) => request.replace(/\?.*$/, '') === `GET /api/v4/projects/${PROJECT_ID}/repository/commits/${SHA}`);
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const withCommit = await startWorld(world);
    await withCommit.post(pipelineHook(PIPELINE_ID, 'success'));
    await withCommit.idle();
    expect(withCommit.writes.statuses).toEqual([expect.objectContaining({ state: 'success', pipeline_id: PIPELINE_ID })]);
    expect(commitRequests(withCommit.served.requests)).toEqual([]);
    await withCommit.shutdown();

    // A token without read_code gets `commit: null`; the verdict still reads the message.
    const noCommit: World = { ...world, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers, { commit: null })] } };
    const without = await startWorld(noCommit);
    await without.post(pipelineHook(PIPELINE_ID, 'success'));
    await without.idle();
    expect(without.writes.statuses).toEqual([expect.objectContaining({ state: 'success', pipeline_id: PIPELINE_ID })]);
    expect(commitRequests(without.served.requests)).toHaveLength(1);
  });

  it('reads the project record once for a burst of webhooks of its pipelines', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const { served, post, idle, writes } = await startWorld(world);
    for (let round = 0; round < 2; round += 1) {
      await post(pipelineHook(PIPELINE_ID, 'success'));
      await idle();
    }
    const projectReads = served.requests.filter((request) => request.replace(/\?.*$/, '') === `GET /api/v4/projects/${PROJECT_ID}`);
    expect(projectReads).toHaveLength(1);
    // Both webhooks were verified (the second one's verdict is a duplicate, not published again).
    expect(writes.graphqlReads).toEqual([`VerifyNewestPipeline ${SHA}`, `VerifyNewestPipeline ${SHA}`]);
  });

  it('a configuration file switched within the project-record window: the next pipeline still fails config-source', async () => {
    const world: World = { answers: goodAnswers, pipelinesForSha: { [SHA]: [pipelineJson(goodAnswers)] }, mergeRequestsForSha: {} };
    const { writes, post, idle } = await startWorld(world);
    await post(pipelineHook(PIPELINE_ID, 'success'));
    await idle();
    // A Maintainer switches the setting to the project's own file and pushes; the memoised record
    // still names the central file, but GitLab recorded the new pipeline's own configuration source.
    const ownSha = 'badc0ffe'.repeat(5);
    world.answers = ownConfigAnswers;
    world.pipelinesForSha = { [ownSha]: [{ ...pipelineJson(ownConfigAnswers), sha: ownSha }] };
    await post(pipelineHook(PIPELINE_ID, 'success', ownSha));
    await idle();
    expect(writes.statuses.map((status) => [status['sha'], status['state']])).toEqual([
      [SHA, 'success'],
      [ownSha, 'failed'],
    ]);
    expect(writes.statuses[1]?.['description']).toMatch(/created from a REPOSITORY_SOURCE configuration/);
  });
});
