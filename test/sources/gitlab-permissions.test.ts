/**
 * What a token with less than Owner sees, answered as GitLab does: protected branches listed only
 * for Maintainers on older GitLab (lib/api/protected_branches.rb `before { authorize_admin_project }`),
 * group protected branches only for the group's Owner, and `default_branch` left out for a token
 * that may not read the code (lib/api/entities/basic_project_details.rb). A refusal is never read
 * as "none": the branches API's `protected` flag answers instead, or the run stops with a
 * permission message.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitlabHandlersFor, type GitlabHandlerOptions } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { failure, requestedPaths, testGitlabSource } from './gitlab-test-source.js';

const root = mkdtempSync(join(tmpdir(), 'gitlab-permissions-'));
writeFileSync(join(root, 'workspace.yml'), "projects:\n  acme/web: { id: 101, default_branch: main, protected_branches: [main, 'release/*'], groups: [10] }\n");
mkdirSync(join(root, 'acme/web'), { recursive: true });
writeFileSync(join(root, 'acme/web/.gitlab-ci.yml'), 'job: {script: [x]}\n');

const gitlab = useGitlab();
const GROUP_RULES = { acme: ['stable/*'] };
const BRANCHES = { 'acme/web': ['feature/x', 'release/1', 'stable/2'] };

function serve(options: GitlabHandlerOptions): void {
  gitlab.use(...gitlabHandlersFor(root, { groupProtectedBranches: GROUP_RULES, branches: BRANCHES, ...options }));
}

describe('protected branches the token may not list', () => {
  it('older GitLab, Developer token: the project list is refused (403) and the branches API marks them', async () => {
    serve({ role: 'developer', protectedBranchesNeedMaintainer: true, only: ['project', 'protected-branches', 'group', 'group-protected-branches', 'branches', 'graphql'] });
    const project = await testGitlabSource(gitlab).readProject('acme/web');
    expect(project?.protectedBranches).toEqual(['main', 'release/1', 'stable/2']);
    expect(requestedPaths(gitlab).filter((path) => path.includes('/repository/branches'))).toEqual(['GET /projects/acme%2Fweb/repository/branches?per_page=100']);
  });

  it("Maintainer token: the group's protected branches are refused (Owner only), and are not read as none", async () => {
    serve({ role: 'maintainer', only: ['project', 'protected-branches', 'group', 'group-protected-branches', 'branches', 'graphql'] });
    const project = await testGitlabSource(gitlab).readProject('acme/web');
    // Before: ['main', 'release/*'] — stable/2, protected by the group, read as unprotected.
    expect(project?.protectedBranches).toEqual(['main', 'release/*', 'release/1', 'stable/2']);
  });

  it('Owner token: both lists are read, the branches API is not needed', async () => {
    serve({ only: ['project', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] });
    const project = await testGitlabSource(gitlab).readProject('acme/web');
    expect(project?.protectedBranches).toEqual(['main', 'release/*', 'stable/*']);
  });
});

describe('a token that may not read the code', () => {
  it('default_branch is left out: a permission message, not a response-shape error', async () => {
    serve({ role: 'guest', only: ['project', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] });
    const error = await failure(testGitlabSource(gitlab).readProject('acme/web'));
    expect(error.code).toBe('gitlab-code-not-readable');
    expect(error.message).toBe('the token can see project acme/web but not its code');
    expect(error.hint).toContain('Reporter');
  });
});
