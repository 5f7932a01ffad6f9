/**
 * `serve` under load: the status-check service in-process on 127.0.0.1:0, GitLab a minimal
 * node:http stub on 127.0.0.1 whose merge requests all have a finished composed pipeline whose
 * required policy jobs passed. 2,000 signed POST /status-check requests, 32 at a time, spread
 * over 50 merge requests; then the same number unsigned (401). Bounded: a run stops after its
 * requests or 30 s, whichever comes first. Nothing leaves 127.0.0.1.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { runServe } from '../src/cli/commands/serve.js';
import { parseCommandLine } from '../src/cli/parse-args.js';
import { signBody } from '../src/http/signature.js';
import { mebibytes, printRows } from './measure.js';

const REQUESTS = 2_000;
const CONCURRENCY = 32;
const MERGE_REQUESTS = 50;
const RUN_LIMIT_MS = 30_000;
const PROJECT_ID = 7;
const TOKEN = 'glpat-bench-token';
const SECRET = 'bench-shared-secret-0123456789abcdef';
const POLICY_JOBS = ['secret-scan', 'licence-check', 'provenance'];

const headSha = (iid: number): string => iid.toString(16).padStart(8, '0').repeat(5);

interface FakeGitlab {
  readonly url: string;
  readonly calls: number;
  readonly mergeRequestReads: number;
  readonly answers: Readonly<Record<string, number>>;
  /** Milliseconds since the stub last received a request. */
  idleMs(): number;
  close(): Promise<void>;
}

/** Answers the six endpoints the service calls; `latencyMs` is added before each answer, as a network would. */
async function startFakeGitlab(latencyMs: number): Promise<FakeGitlab> {
  const state = { calls: 0, mergeRequestReads: 0, answers: {} as Record<string, number>, last: Date.now() };
  const json = (outgoing: ServerResponse, status: number, value: unknown): void => {
    outgoing.writeHead(status, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify(value));
  };
  const pipeline = (id: number, iid: number) => ({ id, project_id: PROJECT_ID, sha: headSha(iid), ref: `refs/merge-requests/${iid}/head`, status: 'success' });
  const route = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    if (latencyMs > 0) await delay(latencyMs);
    if (incoming.headers['private-token'] !== TOKEN) return json(outgoing, 401, { message: '401 Unauthorized' });
    const path = new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/api\/v4/, '');
    const get = incoming.method === 'GET';
    let match: RegExpExecArray | null;
    if (get && path === '/version') return json(outgoing, 200, { version: '17.9.0-ee', revision: 'bench' });
    if (get && (match = /^\/projects\/\d+\/merge_requests\/(\d+)$/.exec(path)) !== null) {
      state.mergeRequestReads += 1;
      const iid = Number(match[1]);
      return json(outgoing, 200, { iid, project_id: PROJECT_ID, state: 'opened', sha: headSha(iid), head_pipeline: pipeline(10_000 + iid, iid) });
    }
    if (get && (match = /^\/projects\/\d+\/pipelines\/(\d+)\/bridges$/.exec(path)) !== null) {
      const iid = Number(match[1]) - 10_000;
      return json(outgoing, 200, [{ id: 1, name: 'policy:pipeline', stage: 'test', status: 'success', downstream_pipeline: pipeline(20_000 + iid, iid) }]);
    }
    if (get && (match = /^\/projects\/\d+\/pipelines\/(\d+)\/jobs$/.exec(path)) !== null) {
      const id = Number(match[1]);
      if (id < 20_000) return json(outgoing, 200, [{ id: 30_000 + id, name: 'policy:compose', status: 'success' }]);
      return json(outgoing, 200, [...POLICY_JOBS, 'unit'].map((name, index) => ({ id: id * 10 + index, name, status: 'success' })));
    }
    if (get && /^\/projects\/\d+\/jobs\/\d+\/artifacts\/policy-report\.json$/.test(path)) {
      return json(outgoing, 200, { version: 1, jobs: [...POLICY_JOBS.map((name) => ({ name, origin: 'policy' })), { name: 'unit', origin: 'project' }] });
    }
    if (incoming.method === 'POST' && /^\/projects\/\d+\/merge_requests\/\d+\/status_check_responses$/.test(path)) {
      const { status } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: string };
      state.answers[status] = (state.answers[status] ?? 0) + 1;
      return json(outgoing, 201, { id: state.calls });
    }
    return json(outgoing, 404, { message: '404 Not Found' });
  };
  const server = createServer((incoming, outgoing) => {
    state.calls += 1;
    state.last = Date.now();
    route(incoming, outgoing).catch((error: unknown) => json(outgoing, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get calls() {
      return state.calls;
    },
    get mergeRequestReads() {
      return state.mergeRequestReads;
    },
    answers: state.answers,
    idleMs: () => Date.now() - state.last,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Service {
  readonly url: string;
  stop(): Promise<number>;
}

async function startService(gitlabUrl: string): Promise<Service> {
  const parsed = parseCommandLine(['serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'info']);
  if (parsed.kind !== 'run' || parsed.command !== 'serve') throw new Error('bench: bad serve command line');
  // The service logs JSON lines as in production; they are serialised, then dropped.
  const sink = { write: (): void => undefined };
  const io = { stdout: sink, stderr: sink, env: { CI_SERVER_URL: gitlabUrl, POLICY_SIDECAR_TOKEN: TOKEN, POLICY_SIDECAR_STATUS_CHECK_SECRET: SECRET }, cwd: process.cwd() };
  let signal: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (signal = resolve));
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const exit = runServe(parsed.options, io, { stopped, onListening: listening, poll: { firstDelayMs: 20, maxDelayMs: 40, deadlineMs: 5_000 } });
  const served = await Promise.race([url, exit.then((code) => Promise.reject(new Error(`bench: serve ended with ${code}`)))]);
  return {
    url: served,
    stop: () => {
      signal('bench done');
      return exit;
    },
  };
}

function payload(iid: number): string {
  return JSON.stringify({
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: 1, name: 'Ada', username: 'ada' },
    project: { id: PROJECT_ID, name: 'web', path_with_namespace: 'acme/web', default_branch: 'main' },
    object_attributes: { id: 900 + iid, iid, source_branch: `feature-${iid}`, target_branch: 'main', state: 'opened', last_commit: { id: headSha(iid), message: 'Add feature\n', timestamp: '2025-01-01T00:00:00Z' } },
    labels: [],
    changes: {},
    repository: { name: 'web' },
    external_approval_rule: { id: 42, name: 'policy-sidecar', external_url: 'http://127.0.0.1/status-check' },
  });
}

interface Load {
  readonly sent: number;
  readonly seconds: number;
  readonly statuses: Readonly<Record<number, number>>;
  readonly evaluations: Readonly<Record<string, number>>;
  /** Milliseconds, sorted, of the 2xx answers. */
  readonly latencies: readonly number[];
}

/** `total` POSTs, `CONCURRENCY` at a time, request i for merge request (i mod 50) + 1; stops early at `RUN_LIMIT_MS`. */
async function fire(serviceUrl: string, signed: boolean, total = REQUESTS): Promise<Load> {
  const agent = new Agent({ connections: CONCURRENCY, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const bodies = Array.from({ length: MERGE_REQUESTS }, (_, index) => {
    const body = payload(index + 1);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signed) headers['x-gitlab-signature'] = signBody(SECRET, body);
    return { body, headers };
  });
  const statuses: Record<number, number> = {};
  const evaluations: Record<string, number> = {};
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = Date.now() + RUN_LIMIT_MS;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total && Date.now() < deadline) {
      const item = bodies[next % MERGE_REQUESTS];
      next += 1;
      if (item === undefined) continue;
      const start = process.hrtime.bigint();
      const response = await request(`${serviceUrl}/status-check`, { dispatcher: agent, method: 'POST', body: item.body, headers: item.headers });
      const answer = (await response.body.json()) as { evaluation?: string };
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        latencies.push(ms);
        const kind = answer.evaluation ?? 'unknown';
        evaluations[kind] = (evaluations[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await agent.close();
  return { sent: next, seconds, statuses, evaluations, latencies: latencies.sort((a, b) => a - b) };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const counts = (tally: Readonly<Record<string | number, number>>): string =>
  Object.entries(tally)
    .map(([key, count]) => `${count} × ${key}`)
    .join(', ');

/** One service and one stub per run, so the stub's counters belong to that run only. */
async function measure(latencyMs: number, signed: boolean, total = REQUESTS): Promise<{ load: Load; gitlab: FakeGitlab }> {
  const gitlab = await startFakeGitlab(latencyMs);
  const service = await startService(gitlab.url);
  try {
    const load = await fire(service.url, signed, total);
    // Let the background evaluations finish (the stub quiet for 200 ms, at most 5 s) before stopping.
    const settle = Date.now() + 5_000;
    while (gitlab.idleMs() < 200 && Date.now() < settle) await delay(50);
    return { load, gitlab };
  } finally {
    await service.stop();
    await gitlab.close();
  }
}

export async function benchServeThroughput(): Promise<void> {
  const rows: [string, string][] = [
    ['load', `${REQUESTS} POST /status-check, ${CONCURRENCY} concurrent, over ${MERGE_REQUESTS} merge requests (stop at ${RUN_LIMIT_MS / 1000} s)`],
    ['fake GitLab', `node:http on 127.0.0.1: finished composed pipeline, ${POLICY_JOBS.length} required policy jobs passed`],
  ];
  await measure(0, true, REQUESTS / 4); // warm-up (JIT, sockets), not reported
  for (const latencyMs of [0, 20]) {
    const { load, gitlab } = await measure(latencyMs, true);
    const ok = load.latencies.length;
    rows.push(
      [`signed, GitLab +${latencyMs} ms`, `${(load.sent / load.seconds).toFixed(0)} req/s; 2xx p50 ${percentile(load.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(load.latencies, 0.99).toFixed(1)} ms (${ok} of ${load.sent}: ${counts(load.statuses)})`],
      ['  evaluations (service answers)', counts(load.evaluations)],
      ['  GitLab saw', `${gitlab.mergeRequestReads} evaluations (MR reads), ${counts(gitlab.answers)} posted, ${gitlab.calls} API calls (${(gitlab.calls / load.sent).toFixed(2)} per request)`],
    );
  }
  const { load, gitlab } = await measure(0, false);
  rows.push(['unsigned', `${((load.statuses[401] ?? 0) / load.seconds).toFixed(0)} 401/s (${counts(load.statuses)}); GitLab saw ${gitlab.calls} API calls`]);
  rows.push(['process', `rss ${mebibytes(process.memoryUsage().rss)}`]);
  printRows('Serving status checks (signed requests, mocked GitLab)', rows);
}
