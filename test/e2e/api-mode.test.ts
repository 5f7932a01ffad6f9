/**
 * The real CLI process in API mode, as a GitLab CI job runs it, against a GitLab stand-in on
 * 127.0.0.1 serving the example workspace through the same msw handlers the unit tests use:
 * same output as workspace mode, and every failure mode (revoked token, 404 on a policy file,
 * 429, timeouts, proxy) ends in one clear message without the token.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor, rateLimitedOnce } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { startTunnelProxy } from '../http-client/local-servers.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-e2e-secret-0123456789';

let checkout: string;
const servers: ServedHandlers[] = [];

async function standIn(options: { extra?: (base: string) => ReturnType<typeof gitlabHandlersFor>; latencyMs?: number } = {}) {
  const served = await serveHandlers(
    (baseUrl) => [...(options.extra?.(baseUrl) ?? []), ...gitlabHandlersFor(examples, { baseUrl, token: TOKEN })],
    { latencyMs: options.latencyMs },
  );
  servers.push(served);
  return served;
}

/** The variables GitLab gives the compose job of a push pipeline on main. */
function jobEnvironment(serverUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: tmpdir(),
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: serverUrl,
    CI_PROJECT_PATH: 'acme/web',
    CI_PROJECT_DIR: checkout,
    CI_PIPELINE_SOURCE: 'push',
    CI_COMMIT_BRANCH: 'main',
    CI_CONFIG_PATH: 'pipeline.yml@platform/ci',
    POLICY_SIDECAR_TOKEN: TOKEN,
    POLICY_SIDECAR_POLICY_PROJECTS: 'security/policies',
    ...extra,
  };
}

async function cli(args: string[], env: Record<string, string>) {
  try {
    // The job's working folder is the checkout, where tsx is not installed: load it by its path.
    const { stdout, stderr } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'src/cli/main.ts'), ...args], { cwd: checkout, env });
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
  checkout = await mkdtemp(join(tmpdir(), 'checkout-'));
  await cp(join(examples, 'acme/web'), checkout, { recursive: true });
});

afterAll(async () => {
  for (const server of servers) await server.close();
});

describe('compose in a GitLab CI job (API mode)', () => {
  it('composes the example exactly as workspace mode does', async () => {
    const server = await standIn();
    const api = await cli(['compose'], jobEnvironment(server.url));
    expect(api.code, api.stderr).toBe(0);
    const offline = await cli(
      ['compose', '--workspace', examples, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main', '--source', 'push'],
      { PATH: process.env['PATH'] ?? '', HOME: tmpdir() },
    );
    expect(offline.code, offline.stderr).toBe(0);
    expect(api.stdout).toBe(offline.stdout);
    expect(api.stderr).not.toContain(TOKEN);
    // The calls one compose makes for the example (docs/gitlab-api.md lists them).
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((request) => !request.includes(TOKEN))).toBe(true);
  });

  it('a revoked token: exit 3, the endpoint, the status and what to check', async () => {
    const server = await standIn();
    const result = await cli(['compose'], jobEnvironment(server.url, { POLICY_SIDECAR_TOKEN: 'glpat-revoked-token-999' }));
    expect(result.code).toBe(3);
    expectOneMessageWithoutToken(result.stderr, /401/);
    expect(result.stderr).not.toContain('glpat-revoked-token-999');
    expect(result.stderr).toMatch(/POLICY_SIDECAR_TOKEN/);
  });

  it('a policy project without policy.yml fails closed (exit 2), and --fail-open composes without it', async () => {
    const server = await standIn();
    const env = jobEnvironment(server.url, { POLICY_SIDECAR_POLICY_PROJECTS: 'acme/ci-templates' });
    const closed = await cli(['compose'], env);
    expect(closed.code).toBe(2);
    expectOneMessageWithoutToken(closed.stderr, /policy\.yml/);
    const open = await cli(['compose', '--fail-open'], env);
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('WARNING: composing WITHOUT policies');
  });

  it('429 with Retry-After: waits, retries and composes', async () => {
    const server = await standIn({ extra: (base) => [rateLimitedOnce(`${base}/api/v4/projects/:id`, 1)] });
    const result = await cli(['compose'], jobEnvironment(server.url));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('lint:policy-900-1');
  });

  it('a GitLab that does not answer in time: exit 3 with http-timeout, not a hang', async () => {
    const server = await standIn({ latencyMs: 3000 });
    const result = await cli(['compose', '--http-timeout', '1', '--http-retries', '0'], jobEnvironment(server.url));
    expect(result.code).toBe(3);
    expectOneMessageWithoutToken(result.stderr, /time/i);
  });

  it('goes through HTTP_PROXY when it is set, and around it for NO_PROXY hosts', async () => {
    const server = await standIn();
    const proxy = await startTunnelProxy();
    try {
      const proxied = await cli(['compose'], jobEnvironment(server.url, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }));
      expect(proxied.code, proxied.stderr).toBe(0);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      const before = proxy.tunnels.length;
      const direct = await cli(['compose'], jobEnvironment(server.url, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }));
      expect(direct.code, direct.stderr).toBe(0);
      expect(proxy.tunnels.length).toBe(before);
    } finally {
      await proxy.close();
    }
  });
});
