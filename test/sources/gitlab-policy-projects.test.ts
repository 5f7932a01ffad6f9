/**
 * policyProjectsOf: the security policy projects linked to a project and its ancestor groups
 * (reference §1.2), read with one GraphQL query, top-most group first, and tier differences:
 * on Premium and Free the fields do not exist and GitLab refuses the query as "undefinedField".
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWith, gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { failure, requestedPaths, testGitlabSource } from './gitlab-test-source.js';

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

const links = { acme: 'security/policies', 'acme/platform': 'security/team-policies', 'acme/platform/api': 'security/policies' };
const endpoints = ['project', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] as const;
const gitlab = useGitlab(gitlabHandlersFor(root, { securityPolicyProjects: links, only: endpoints }));

describe('policyProjectsOf', () => {
  it('lists the links of every level, top-most group first, each project once', async () => {
    const source = testGitlabSource(gitlab);
    expect(await source.policyProjectsOf('acme/platform/api')).toEqual(['security/policies', 'security/team-policies']);
    expect(await source.policyProjectsOf('acme/web')).toEqual(['security/policies']);
    expect(await source.policyProjectsOf('security/policies')).toEqual([]);
  });

  it('asks GraphQL once for all levels, after the project is known', async () => {
    const source = testGitlabSource(gitlab);
    await source.readProject('acme/platform/api');
    const before = gitlab.requests.length;
    await source.policyProjectsOf('acme/platform/api');
    expect(requestedPaths(gitlab).slice(before)).toEqual(['POST /api/graphql']);
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
