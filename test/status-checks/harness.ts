/**
 * Starts `serve` in-process on 127.0.0.1 (port 0) with GitLab answered by msw, and talks to it
 * over real HTTP with undici (below msw's reach, so the service's own socket is really used).
 */
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { runServe } from '../../src/cli/commands/serve.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import type { PollSettings } from '../../src/gating/status-checks/evaluations.js';
import { signBody } from '../../src/http/signature.js';
import { FAKE_GITLAB, FAKE_TOKEN, type StatusCheckWorld } from '../http/status-check-gitlab.js';

export const SECRET = 'shared-secret-for-tests-0123456789';
export const CHECK_ID = 42;
export const FAST_POLL: PollSettings = { firstDelayMs: 20, maxDelayMs: 40, deadlineMs: 5_000 };

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface RunningService {
  readonly url: string;
  /** Sends the stop signal; resolves with runServe's exit code. */
  stop(): Promise<number>;
  readonly logText: () => string;
  readonly logs: () => LogLine[];
}

export interface ServiceOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly poll?: PollSettings;
}

export async function startService(dispatcher: Dispatcher, options: ServiceOptions = {}): Promise<RunningService> {
  const parsed = parseCommandLine(['serve', '--host', '127.0.0.1', '--port', '0', ...(options.args ?? [])]);
  if (parsed.kind !== 'run' || parsed.command !== 'serve') throw new Error('not a serve command line');
  let text = '';
  const env = { CI_SERVER_URL: FAKE_GITLAB, POLICY_SIDECAR_TOKEN: FAKE_TOKEN, POLICY_SIDECAR_STATUS_CHECK_SECRET: SECRET, ...options.env };
  const io = { stdout: { write: (chunk: string) => void (text += chunk) }, stderr: { write: (chunk: string) => void (text += chunk) }, env, cwd: process.cwd() };
  let signal: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (signal = resolve));
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const exit = runServe(parsed.options, io, { stopped, onListening: listening, dispatcher, poll: options.poll ?? FAST_POLL });
  const served = await Promise.race([url, exit.then((code) => Promise.reject(new Error(`serve ended with ${code}: ${text}`)))]);
  return {
    url: served,
    stop: () => {
      signal('SIGTERM');
      return exit;
    },
    logText: () => text,
    logs: () => text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine),
  };
}

const agent = new Agent({ keepAliveTimeout: 10 });

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export async function send(url: string, init: { method?: 'GET' | 'POST'; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await request(url, { dispatcher: agent, method: init.method ?? 'GET', body: init.body, headers: init.headers });
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** POST /status-check with GitLab's signature over the exact bytes (or the given one). */
export function postStatusCheck(service: RunningService, payload: unknown, signature?: string | null): Promise<Answer> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signed = signature === undefined ? signBody(SECRET, body) : signature;
  if (signed !== null) headers['X-Gitlab-Signature'] = signed;
  return send(`${service.url}/status-check`, { method: 'POST', body, headers });
}

/** GitLab's merge request payload with `external_approval_rule` (reference §4.2), trimmed. */
export function mergeRequestPayload(world: StatusCheckWorld, overrides: { sha?: string; message?: string; state?: string } = {}): unknown {
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: 1, name: 'Ada', username: 'ada' },
    project: { id: world.projectId, name: 'web', path_with_namespace: 'acme/web', default_branch: 'main' },
    object_attributes: {
      id: 900 + world.iid,
      iid: world.iid,
      source_branch: 'feature',
      target_branch: 'main',
      state: overrides.state ?? 'opened',
      last_commit: { id: overrides.sha ?? world.headSha, message: overrides.message ?? 'Add feature\n', timestamp: '2025-01-01T00:00:00Z' },
    },
    labels: [],
    changes: {},
    repository: { name: 'web' },
    external_approval_rule: { id: CHECK_ID, name: 'policy-sidecar', external_url: 'https://sidecar.example.com/status-check' },
  };
}

/** Waits until `test` holds (the service answers in the background). */
export async function until(test: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A composed world: head pipeline → policy:pipeline → child pipeline with the given job statuses. */
export function composedWorld(world: StatusCheckWorld, jobs: Record<string, string>, childStatus = 'success'): void {
  world.headPipeline = { id: 100, sha: world.headSha, ref: 'refs/merge-requests/3/head', status: childStatus };
  world.bridge = { status: childStatus, child: { id: 101, sha: world.headSha, ref: 'refs/merge-requests/3/head', status: childStatus } };
  world.parentJobs = [{ id: 10, name: 'policy:compose', status: 'success' }];
  world.childJobs = Object.entries(jobs).map(([name, status], index) => ({ id: 20 + index, name, status }));
  world.report = {
    version: 1,
    jobs: [
      ...Object.keys(jobs).map((name) => ({ name, originalName: name, origin: 'policy', policy: 'Secrets', stage: 'test' })),
      { name: 'unit', originalName: 'unit', origin: 'project', policy: null, stage: 'test' },
    ],
  };
  world.childJobs.push({ id: 99, name: 'unit', status: 'failed' });
}
