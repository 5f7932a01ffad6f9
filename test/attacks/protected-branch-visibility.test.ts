/**
 * Attack: a scan execution policy runs on protected branches (`branch_type: protected`), and the
 * compose token may not list some of the rules that protect them: group-level protected branches
 * need the group's Owner, and on older GitLab the project's list needs Maintainer
 * (lib/api/protected_branches.rb `before { authorize_admin_project }`). A refusal read as "no
 * protected branches" would drop the policy's scan from a protected branch's pipeline (fail open).
 * The real CLI process against the GitLab stand-in; the policy job must still be composed.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitlabHandlersFor, type GitlabHandlerOptions } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli } from './real-cli.js';

const fixture = join(repoRoot, 'test/fixtures/attacks/group-protected-branch');
const TOKEN = 'glpat-attack-secret-0123456789';
const served: ServedHandlers[] = [];
afterEach(async () => {
  for (const server of served.splice(0)) await server.close();
});

async function composeOn(branch: string, options: GitlabHandlerOptions): Promise<{ code: number; stdout: string; stderr: string; requests: readonly string[] }> {
  const gitlab = await serveHandlers((baseUrl) =>
    gitlabHandlersFor(fixture, {
      baseUrl,
      token: TOKEN,
      groupProtectedBranches: { acme: ['stable/*'] },
      branches: { 'acme/web': ['feature/x', 'release/1', 'stable/2'] },
      only: ['project', 'raw-file', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'branches', 'merge-requests', 'graphql'],
      ...options,
    }),
  );
  served.push(gitlab);
  const checkout = await mkdtemp(join(tmpdir(), 'checkout-'));
  await cp(join(fixture, 'acme/web'), checkout, { recursive: true });
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: tmpdir(),
    POLICY_SIDECAR_TOKEN: TOKEN,
  };
  // Terminal flags: what protects the branch is GitLab's answer either way (with --job too).
  const args = ['compose', '--gitlab-url', gitlab.url, '--project', 'acme/web', '--branch', branch, '--source', 'push', '--policy-project', 'security/policies'];
  return { ...(await runRealCli(args, { cwd: checkout, env })), requests: gitlab.requests };
}

describe('protected branches the compose token may not list', () => {
  it("Maintainer token: the group's rules are refused (403); stable/2 is still protected and the scan still runs", async () => {
    const result = await composeOn('stable/2', { role: 'maintainer' });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('secret-detection-0:');
    expect(result.requests).toContain('GET /api/v4/projects/acme%2Fweb/repository/branches?per_page=100');
  });

  it('Developer token on an older GitLab: the project list is refused (403); release/1 is still protected and the scan still runs', async () => {
    const result = await composeOn('release/1', { role: 'developer', protectedBranchesNeedMaintainer: true });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('secret-detection-0:');
  });

  it('control: an unprotected branch gets no scan', async () => {
    const result = await composeOn('feature/x', { role: 'maintainer' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('secret-detection-0:');
  });
});
