/**
 * GitLab requests per verification (issue 13 bench goal: one per job list page, plus policy
 * files not already cached): the verifier in-process against a GitLab stand-in on 127.0.0.1
 * (the example workspace's files and a pipeline's recorded answers), sharing the project record
 * and policy files as `serve` does. Counts requests, never times them. Job lists longer than a
 * page are read on page by page, over the API and from a records folder alike.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiPorts } from '../../src/cli/verify-setup.js';
import { runCli } from '../../src/cli/run.js';
import { createHttpClient } from '../../src/http/client.js';
import { createDispatcher } from '../../src/http/dispatcher.js';
import { DEFAULT_VERIFY_SETTINGS } from '../../src/verify/settings.js';
import { verifyCommit, verifyPipelineById } from '../../src/verify/verify-and-publish.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers } from '../http/serve-handlers.js';
import { recordedAnswerHandlers, type VerifierWrites } from '../http/verify-records.js';
import { composeGoodReport, EXAMPLES } from './compose-good-report.js';
import { CENTRAL_CONFIG, gid, MAIN_PIPELINE_ID, PIPELINE_ID, pipelineAnswerPath, pipelineNode, PROJECT_ID, SHA, verifyCases, type Answers } from './recorded-pipelines.js';

const TOKEN = 'glpat-verify-requests-0123456789';
const cleanups: (() => Promise<void>)[] = [];
let cases: Map<string, Answers>;

beforeAll(async () => {
  cases = new Map(verifyCases(await composeGoodReport()).map((item) => [item.name, item.answers]));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function answersOf(name: string): Answers {
  const answers = cases.get(name);
  if (answers === undefined) throw new Error(`no case ${name}`);
  return answers;
}

/** The verifier as `serve` runs it (project record and policy files shared for 30 s) against a stand-in. */
async function verifier(answers: Answers, pipelinesForSha: Record<string, unknown[]> = {}) {
  const writes: VerifierWrites = { statuses: [], notes: [], graphqlReads: [] };
  const served = await serveHandlers((baseUrl) => [
    ...recordedAnswerHandlers(`${baseUrl}/api/v4`, answers, { projectId: PROJECT_ID, projectPath: 'acme/web', pipelinesForSha }, writes),
    ...gitlabHandlersFor(EXAMPLES, { baseUrl, token: TOKEN }),
  ]);
  const dispatcher = createDispatcher({}, { connectTimeoutMs: 10_000, readTimeoutMs: 10_000 });
  const client = createHttpClient({ baseUrl: `${served.url}/api/v4`, credential: { header: 'PRIVATE-TOKEN', value: TOKEN }, dispatcher, retries: { max: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  const io = { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, cwd: process.cwd() };
  const recompute = { configPath: '.gitlab-ci.yml', policyProjects: ['security/policies'], templates: undefined, allowRemoteHosts: [] };
  const ports = apiPorts({ client, serverUrl: served.url, dispatcher, ownsDispatcher: true }, { ...DEFAULT_VERIFY_SETTINGS, centralConfigPath: CENTRAL_CONFIG }, recompute, io, undefined, { reuseMs: 30_000, now: Date.now });
  cleanups.push(async () => {
    await dispatcher.close();
    await served.close();
  });
  /** The requests `run` sent, sorted (requests of one round may arrive in any order). */
  const requestsOf = async (run: () => Promise<unknown>): Promise<string[]> => {
    const before = served.requests.length;
    await run();
    return served.requests.slice(before).map((request) => request.replace(/\?.*$/, '')).sort();
  };
  return { ports, writes, requestsOf };
}

const REPORT = `GET /api/v4/projects/${PROJECT_ID}/jobs/70001/artifacts/policy-report.json`;

describe('GitLab requests per verification', () => {
  it('a finished pipeline, by id: one GraphQL query and the compose report, once the project and policy files are shared', async () => {
    const { ports, requestsOf } = await verifier(answersOf('good-pipeline'));
    await verifyPipelineById(ports, 'acme/web', PIPELINE_ID); // the first one reads the project and the policy files
    let verified = false;
    const requests = await requestsOf(async () => {
      verified = (await verifyPipelineById(ports, 'acme/web', PIPELINE_ID)).verdict.verified;
    });
    expect(verified).toBe(true);
    expect(requests).toEqual([REPORT, 'POST /api/graphql']);
  });

  it('a webhook\'s commit: the newest pipeline comes with its records in the same query', async () => {
    const answers = answersOf('good-pipeline');
    const { ports, writes, requestsOf } = await verifier(answers, { [SHA]: [pipelineNode(answers)] });
    const project = await ports.reader.project(PROJECT_ID);
    if (project === undefined) throw new Error('no project');
    await verifyCommit(ports, project, SHA);
    let state = '';
    const requests = await requestsOf(async () => {
      state = (await verifyCommit(ports, project, SHA)).verdict.state;
    });
    expect(state).toBe('verified');
    expect(requests).toEqual([REPORT, 'POST /api/graphql']);
    expect(writes.graphqlReads).toEqual([`VerifyNewestPipeline ${SHA}`, `VerifyNewestPipeline ${SHA}`]);
  });

  it('a child pipeline listed as a commit\'s newest fails the read, never verified as policy-free', async () => {
    // GitLab's list leaves child pipelines out (Ci::PipelinesFinder `no_child`); were one listed, its
    // verdict (policy-free: verified through its parent) would stand for the commit.
    const answers = answersOf('good-pipeline');
    const { ports } = await verifier(answers, { [SHA]: [pipelineNode(answers, { child: true, source: 'parent_pipeline' })] });
    const project = await ports.reader.project(PROJECT_ID);
    if (project === undefined) throw new Error('no project');
    await expect(verifyCommit(ports, project, SHA)).rejects.toThrow(/listed child pipeline #5000 as the newest pipeline/);
  });

  it('a project GraphQL does not show is no answer about its pipelines (not "the commit has no pipeline")', async () => {
    const answers = answersOf('good-pipeline');
    const { ports } = await verifier(answers);
    const project = await ports.reader.project(PROJECT_ID);
    if (project === undefined) throw new Error('no project');
    // Renamed since its record was read (serve keeps it 30 s): GraphQL answers `project: null` for the old path.
    await expect(verifyCommit(ports, { ...project, path: 'acme/web-old' }, SHA)).rejects.toThrow(/GraphQL does not show project acme\/web-old/);
  });

  it('a running pipeline: the one GraphQL query (its pending verdict needs no compose report)', async () => {
    const { ports, requestsOf } = await verifier(answersOf('pipeline-running'));
    await verifyPipelineById(ports, 'acme/web', PIPELINE_ID);
    let state = '';
    const requests = await requestsOf(async () => {
      state = (await verifyPipelineById(ports, 'acme/web', PIPELINE_ID)).verdict.state;
    });
    expect(state).toBe('pending');
    expect(requests).toEqual(['POST /api/graphql']);
  });

  it('a job list over one page: one more query per page, for the parent and for a child pipeline', async () => {
    const { ports, writes } = await verifier(pagedAnswers(answersOf('good-pipeline')));
    const { verdict } = await verifyPipelineById(ports, 'acme/web', PIPELINE_ID);
    expect(verdict.checks.filter((item) => !item.ok)).toEqual([]);
    expect(verdict.verified).toBe(true);
    expect(writes.graphqlReads).toEqual([
      `VerifyPipeline ${gid('Ci::Pipeline', PIPELINE_ID)}`,
      `VerifyPipelineJobs ${gid('Ci::Pipeline', PIPELINE_ID)} cGFnZTI=`,
      `VerifyChildJobs ${gid('Ci::Pipeline', MAIN_PIPELINE_ID)} Y2hpbGQy`,
    ]);
  });

  it('a job list over one page read from a records folder (verify --workspace --records)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verify-paged-'));
    for (const [path, value] of Object.entries(pagedAnswers(answersOf('good-pipeline')))) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), JSON.stringify(value));
    }
    let stdout = '';
    const io = { stdout: { write: (text: string) => void (stdout += text) }, stderr: { write: (text: string) => void (stdout += text) }, env: { POLICY_SIDECAR_CENTRAL_CONFIG: CENTRAL_CONFIG }, cwd: dir };
    const code = await runCli(['verify', '--workspace', EXAMPLES, '--records', dir, '--project', 'acme/web', '--pipeline', String(PIPELINE_ID), '--policy-project', 'security/policies'], io);
    expect(stdout).toMatch(/is verified|: verified/);
    expect(code).toBe(0);
  });

  it('a page GitLab says is not the last but gives no cursor for fails the read (no verdict on part of the jobs)', async () => {
    const answers = answersOf('good-pipeline');
    const node = pipelineNode(answers) as { jobs: { nodes: unknown[] } };
    const broken = { ...answers, [pipelineAnswerPath(PIPELINE_ID)]: { data: { project: { pipeline: { ...node, jobs: { pageInfo: { hasNextPage: true, endCursor: null }, nodes: node.jobs.nodes } } } } } };
    const { ports } = await verifier(broken);
    await expect(verifyPipelineById(ports, 'acme/web', PIPELINE_ID)).rejects.toThrow(/more jobs but gave no cursor/);
  });
});

interface JobNodeJson {
  readonly id: string;
  readonly downstreamPipeline: { readonly id: string; readonly jobs: { readonly nodes: readonly unknown[] } } | null;
}

/**
 * The good pipeline's answers with its job list split over two pages (the composed pipeline's
 * bridge on the first, the pre bridge and the compose job on the second) and the composed child
 * pipeline's jobs split over two pages too. Cursors are GitLab's opaque strings.
 */
function pagedAnswers(answers: Answers): Answers {
  const node = pipelineNode(answers) as { jobs: { nodes: JobNodeJson[] } };
  const [first, ...rest] = node.jobs.nodes;
  if (first?.downstreamPipeline?.id !== gid('Ci::Pipeline', MAIN_PIPELINE_ID)) throw new Error('the first status is the composed pipeline\'s bridge');
  const childNodes = first.downstreamPipeline.jobs.nodes;
  const half = Math.ceil(childNodes.length / 2);
  const bridge = { ...first, downstreamPipeline: { ...first.downstreamPipeline, jobs: { pageInfo: { hasNextPage: true, endCursor: 'Y2hpbGQy' }, nodes: childNodes.slice(0, half) } } };
  const last = { hasNextPage: false, endCursor: null };
  return {
    ...answers,
    [pipelineAnswerPath(PIPELINE_ID)]: { data: { project: { pipeline: { ...node, jobs: { pageInfo: { hasNextPage: true, endCursor: 'cGFnZTI=' }, nodes: [bridge] } } } } },
    [`graphql/pipeline-${PIPELINE_ID}-jobs-cGFnZTI=.json`]: { data: { project: { pipeline: { jobs: { pageInfo: last, nodes: rest } } } } },
    [`graphql/pipeline-${MAIN_PIPELINE_ID}-jobs-Y2hpbGQy.json`]: { data: { project: { pipeline: { jobs: { pageInfo: last, nodes: childNodes.slice(half) } } } } },
  };
}
