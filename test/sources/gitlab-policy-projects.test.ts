/**
 * policyProjectsOf: the security policy projects linked to a project and its ancestor groups
 * (reference §1.2), read with one GraphQL query, top-most group first, and tier differences:
 * on Premium and Free the fields do not exist and GitLab refuses the query as "undefinedField".
 * The linked projects' metadata and policy files are read before the answer, in one round.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWith, gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { API_URL, failure, requestedPaths, testGitlabSource } from './gitlab-test-source.js';

const root = mkdtempSync(join(tmpdir(), 'policy-projects-'));
writeFileSync(
  join(root, 'workspace.yml'),
  [
    'projects:',
    '  acme/platform/api: { id: 301, compliance_frameworks: [3, 5], groups: [10, 11] }',
    '  acme/web: { id: 101, groups: [10] }',
    '  security/policies: { id: 900, groups: [20] }',
    '  security/team-policies: { id: 901, groups: [20] }',
    '',
  ].join('\n'),
);
for (const project of ['acme/platform/api', 'acme/web', 'security/policies', 'security/team-policies']) mkdirSync(join(root, project), { recursive: true });
mkdirSync(join(root, 'security/policies/.gitlab/security-policies'), { recursive: true });
writeFileSync(join(root, 'security/policies/.gitlab/security-policies/policy.yml'), 'pipeline_execution_policy: []\n');
const POLICY_FILE = '.gitlab/security-policies/policy.yml';
const POLICY_FILE_URL = (project: string) => `/projects/${encodeURIComponent(project)}/repository/files/${encodeURIComponent(POLICY_FILE)}/raw`;

const links = { acme: 'security/policies', 'acme/platform': 'security/team-policies', 'acme/platform/api': 'security/policies' };
const endpoints = ['project', 'raw-file', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] as const;
const gitlab = useGitlab(gitlabHandlersFor(root, { securityPolicyProjects: links, only: endpoints }));

describe('policyProjectsOf', () => {
  it('lists the links of every level, top-most group first, each project once', async () => {
    const source = testGitlabSource(gitlab);
    expect(await source.policyProjectsOf('acme/platform/api')).toEqual(['security/policies', 'security/team-policies']);
    expect(await source.policyProjectsOf('acme/web')).toEqual(['security/policies']);
    expect(await source.policyProjectsOf('security/policies')).toEqual([]);
  });

  it('asks GraphQL once for all levels, after the project is known, then reads the linked projects in one round', async () => {
    const source = testGitlabSource(gitlab);
    await source.readProject('acme/platform/api');
    const before = gitlab.requests.length;
    await source.policyProjectsOf('acme/platform/api');
    const [links, ...prefetched] = requestedPaths(gitlab).slice(before);
    expect(links).toBe('POST /api/graphql');
    expect(prefetched.sort()).toEqual([
      'GET /groups/security', // security/policies and security/team-policies share it
      'GET /groups/security/protected_branches?per_page=100',
      'GET /projects/security%2Fpolicies',
      'GET /projects/security%2Fpolicies/protected_branches?per_page=100',
      `GET ${POLICY_FILE_URL('security/policies')}`,
      'GET /projects/security%2Fteam-policies',
      'GET /projects/security%2Fteam-policies/protected_branches?per_page=100',
      `GET ${POLICY_FILE_URL('security/team-policies')}`,
      'POST /api/graphql',
      'POST /api/graphql',
    ]);
    // What the core asks next is answered without another request.
    const after = gitlab.requests.length;
    expect((await source.readProject('security/policies'))?.id).toBe(900);
    expect(await source.readFile('security/policies', POLICY_FILE, undefined)).toBe('pipeline_execution_policy: []\n');
    expect(await source.readFile('security/team-policies', POLICY_FILE, undefined)).toBeUndefined();
    expect(gitlab.requests.length).toBe(after);
  });

  it('leaves a failed read of a linked project to the caller that asks for it', async () => {
    gitlab.use(answerWith('GET', `${API_URL}${POLICY_FILE_URL('security/policies')}`, { status: 403, json: { message: '403 Forbidden' } }));
    const source = testGitlabSource(gitlab);
    expect(await source.policyProjectsOf('acme/web')).toEqual(['security/policies']);
    const error = await failure(source.readFile('security/policies', POLICY_FILE, undefined));
    expect(error.code).toBe('http-403');
  });

  it('reads compliance frameworks as numbers from their global ids', async () => {
    expect((await testGitlabSource(gitlab).readProject('acme/platform/api'))?.complianceFrameworks).toEqual([3, 5]);
  });

  it('finds none on Premium, where security policy fields do not exist; frameworks still read', async () => {
    gitlab.use(...gitlabHandlersFor(root, { tier: 'premium', securityPolicyProjects: links, only: ['graphql'] }));
    const source = testGitlabSource(gitlab);
    expect(await source.policyProjectsOf('acme/platform/api')).toEqual([]);
    expect((await source.readProject('acme/platform/api'))?.complianceFrameworks).toEqual([3, 5]);
  });

  it('finds no frameworks and no policy projects on Free', async () => {
    gitlab.use(...gitlabHandlersFor(root, { tier: 'free', securityPolicyProjects: links, only: ['graphql'] }));
    const source = testGitlabSource(gitlab);
    expect((await source.readProject('acme/platform/api'))?.complianceFrameworks).toEqual([]);
    expect(await source.policyProjectsOf('acme/platform/api')).toEqual([]);
  });

  it('fails closed when a level cannot be seen: a hidden group might link policies', async () => {
    const source = testGitlabSource(gitlab);
    await source.readProject('acme/web');
    gitlab.use(
      answerWith('POST', 'http://gitlab.test/api/graphql', {
        json: { data: { project: { securityPolicyProject: null }, g0: null } },
      }),
    );
    const error = await failure(source.policyProjectsOf('acme/web'));
    expect([error.code, error.message]).toEqual(['gitlab-graphql-not-visible', 'POST /api/graphql cannot see group acme']);
  });

  it('reports other GraphQL errors with their messages', async () => {
    gitlab.use(answerWith('POST', 'http://gitlab.test/api/graphql', { json: { errors: [{ message: 'Query has complexity of 300, which exceeds max complexity of 250' }] } }));
    const error = await failure(testGitlabSource(gitlab).readProject('acme/web'));
    expect([error.code, error.message]).toEqual(['gitlab-graphql', 'POST /api/graphql failed: Query has complexity of 300, which exceeds max complexity of 250']);
  });
});
