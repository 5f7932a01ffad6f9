/**
 * The real CLI process in API mode, as the component's job runs it (`--job`: a clean process
 * environment, the job's variables as a file, the pipeline's facts from `GET /job`), against a
 * GitLab stand-in on 127.0.0.1 serving the example workspace through the same msw handlers the
 * unit tests use: same output as workspace mode, and every failure mode (revoked token, 404 on a
 * policy file, 429, timeouts, proxy) ends in one clear message without the token.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor, rateLimitedOnce } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { startTunnelProxy } from '../http-client/local-servers.js';
import { cliEntry } from '../helpers/built-cli.js';
import { composeJob, JOB_TOKEN, jobVariables, writeCheckout, writeJobEnvFile } from '../helpers/ci-job.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-e2e-secret-0123456789';

let checkout: string;
const servers: ServedHandlers[] = [];

async function standIn(options: { extra?: (base: string) => ReturnType<typeof gitlabHandlersFor>; latencyMs?: number } = {}) {
  const served = await serveHandlers(
    (baseUrl) => [...(options.extra?.(baseUrl) ?? []), ...gitlabHandlersFor(examples, { baseUrl, token: TOKEN, job: composeJob() })],
    { latencyMs: options.latencyMs },
  );
  servers.push(served);
  return served;
}

/** The component's command line: --job, the job's variables as a file, settings as flags. */
async function jobArgs(serverUrl: string, extra: Record<string, string> = {}, flags: string[] = []): Promise<string[]> {
  const envFile = await writeJobEnvFile(jobVariables(composeJob(), serverUrl, { POLICY_SIDECAR_TOKEN: TOKEN, ...extra }));
  return ['compose', '--job', '--job-env-file', envFile, '--gitlab-url', serverUrl, '--policy-project', 'security/policies', ...flags];
}

/** The process environment `/usr/bin/env -i` leaves: nothing the project set. */
const CLEAN_ENV = { PATH: process.env['PATH'] ?? '', HOME: tmpdir() };

async function cli(args: string[], env: Record<string, string>) {
  try {
    // The job's working folder is the checkout: the entry point is an absolute path.
    const { stdout, stderr } = await run(process.execPath, [cliEntry, ...args], { cwd: checkout, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function expectOneMessageWithoutToken(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((line) => !line.startsWith('{')); // JSON log lines in CI
  expect(lines[0]).toMatch(/^policy-sidecar: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toContain(TOKEN);
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  checkout = await writeCheckout(join(examples, 'acme/web'));
});

afterAll(async () => {
  for (const server of servers) await server.close();
});

describe('compose in a GitLab CI job (API mode)', () => {
  it('composes the example exactly as workspace mode does', async () => {
    const server = await standIn();
    const api = await cli(await jobArgs(server.url), CLEAN_ENV);
    expect(api.code, api.stderr).toBe(0);
    const offline = await cli(
      ['compose', '--workspace', examples, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main', '--source', 'push', '--sha', '0ec9e58fdfca6cdd6652c083c9edb53abc0bad52'],
      CLEAN_ENV,
    );
    expect(offline.code, offline.stderr).toBe(0);
    expect(api.stdout).toBe(offline.stdout);
    expect(api.stderr).not.toContain(TOKEN);
    expect(api.stderr).not.toContain(JOB_TOKEN);
    // The calls one compose makes for the example (docs/gitlab-api.md lists them): the job's facts first.
    expect(server.requests[0]).toBe('GET /api/v4/job');
    expect(server.requests[1]).toBe('GET /api/v4/projects/101');
    expect(server.requests.every((request) => !request.includes(TOKEN) && !request.includes(JOB_TOKEN))).toBe(true);
  });

  it('a revoked token: exit 3, the endpoint, the status and what to check', async () => {
    const server = await standIn();
    const result = await cli(await jobArgs(server.url, { POLICY_SIDECAR_TOKEN: 'glpat-revoked-token-999' }), CLEAN_ENV);
    expect(result.code).toBe(3);
    expectOneMessageWithoutToken(result.stderr, /401/);
    expect(result.stderr).not.toContain('glpat-revoked-token-999');
    expect(result.stderr).toMatch(/POLICY_SIDECAR_TOKEN/);
  });

  it('a job token GitLab does not know: exit 3 on GET /job with 401, nothing else asked', async () => {
    const server = await standIn();
    const result = await cli(await jobArgs(server.url, { CI_JOB_TOKEN: 'glcbt-64_expired-job-token' }), CLEAN_ENV);
    expect(result.code).toBe(3);
    expectOneMessageWithoutToken(result.stderr, /401/);
    expect(result.stderr).not.toContain('glcbt-64_expired-job-token');
    expect(server.requests).toEqual(['GET /api/v4/job']);
  });

  it('a policy project without policy.yml fails closed (exit 2), and --fail-open composes without it', async () => {
    const server = await standIn();
    const args = (await jobArgs(server.url)).filter((arg) => arg !== 'security/policies' && arg !== '--policy-project');
    const closed = await cli([...args, '--policy-project', 'acme/ci-templates'], CLEAN_ENV);
    expect(closed.code).toBe(2);
    expectOneMessageWithoutToken(closed.stderr, /policy\.yml/);
    const open = await cli([...args, '--policy-project', 'acme/ci-templates', '--fail-open'], CLEAN_ENV);
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('WARNING: composing WITHOUT policies');
  });

  it('429 with Retry-After: waits, retries and composes', async () => {
    const server = await standIn({ extra: (base) => [rateLimitedOnce(`${base}/api/v4/projects/:id`, 1)] });
    const result = await cli(await jobArgs(server.url), CLEAN_ENV);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('lint:policy-900-1');
  });

  it('a GitLab that does not answer in time: exit 3 with http-timeout, not a hang', async () => {
    const server = await standIn({ latencyMs: 3000 });
    const result = await cli(await jobArgs(server.url, {}, ['--http-timeout', '1', '--http-retries', '0']), CLEAN_ENV);
    expect(result.code).toBe(3);
    expectOneMessageWithoutToken(result.stderr, /time/i);
  });

  it('goes through the --proxy of the component input', async () => {
    const server = await standIn();
    const proxy = await startTunnelProxy();
    try {
      const proxied = await cli(await jobArgs(server.url, {}, ['--proxy', proxy.url]), CLEAN_ENV);
      expect(proxied.code, proxied.stderr).toBe(0);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('on a terminal (no --job), HTTP_PROXY is honoured, and NO_PROXY hosts go around it', async () => {
    const server = await standIn();
    const proxy = await startTunnelProxy();
    const terminal = ['compose', '--gitlab-url', server.url, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main'];
    try {
      const env = { ...CLEAN_ENV, POLICY_SIDECAR_TOKEN: TOKEN };
      const proxied = await cli(terminal, { ...env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
      expect(proxied.code, proxied.stderr).toBe(0);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      const before = proxy.tunnels.length;
      const direct = await cli(terminal, { ...env, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
      expect(direct.code, direct.stderr).toBe(0);
      expect(proxy.tunnels.length).toBe(before);
    } finally {
      await proxy.close();
    }
  });
});
