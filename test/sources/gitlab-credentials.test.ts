/**
 * Tokens and GitLab's refusals through the HttpClient: a revoked token (401), a forbidden
 * resource (403), CI_JOB_TOKEN where GitLab accepts it and where it does not, and a 429 with
 * Retry-After. The token never appears in an error, whatever GitLab echoes back.
 */
import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../src/errors.js';
import { answerWith, gitlabHandlersFor, rateLimitedOnce } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { useGitlab } from '../http/gitlab-server.js';
import { API_URL, failure, requestedPaths, testGitlabSource } from './gitlab-test-source.js';

const JOB_TOKEN = 'job-token-secret-4242';
const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { jobToken: JOB_TOKEN, only: ['project', 'raw-file', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'merge-requests', 'graphql'] }));

/** Everything a user or a log could see of an error. */
function shown(error: SourceError): string {
  return [error.message, error.hint, error.stack, JSON.stringify(error), String(error.cause)].join('\n');
}

describe('credentials', () => {
  it('sends the token in PRIVATE-TOKEN, never in the URL', async () => {
    await testGitlabSource(gitlab).readFile('acme/web', 'README.md', undefined);
    expect(gitlab.requests.map((request) => [request.headers['private-token'], request.url.includes(DEFAULT_TOKEN)])).toEqual([[DEFAULT_TOKEN, false]]);
  });

  it('fails with http-401 and a hint when the token is revoked, and names no token', async () => {
    const revoked = 'glpat-revoked-000000000000';
    const error = await failure(testGitlabSource(gitlab, { credential: { header: 'PRIVATE-TOKEN', value: revoked } }).readFile('acme/web', 'README.md', undefined));
    expect(error.code).toBe('http-401');
    expect(error.message).toBe('GET http://gitlab.test/api/v4/projects/acme%2Fweb/repository/files/README.md/raw failed: HTTP 401 Unauthorized: 401 Unauthorized');
    expect(error.hint).toContain('POLICY_SIDECAR_TOKEN');
    expect(shown(error)).not.toContain(revoked);
  });

  it('fails with http-403 and GitLab message, even when GitLab echoes the token', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/projects/acme%2Fweb/repository/tree`, { status: 403, json: { message: `403 Forbidden - token ${DEFAULT_TOKEN} lacks read_api` } }));
    const error = await failure(testGitlabSource(gitlab).listFiles('acme/web', undefined));
    expect(error.code).toBe('http-403');
    expect(error.message).toContain('HTTP 403 Forbidden: 403 Forbidden - token [redacted] lacks read_api');
    expect(shown(error)).not.toContain(DEFAULT_TOKEN);
  });

  it('reads raw files with CI_JOB_TOKEN, the one call of ours GitLab opens to job tokens', async () => {
    const source = testGitlabSource(gitlab, { credential: { header: 'JOB-TOKEN', value: JOB_TOKEN } });
    expect(await source.readFile('security/policies', '.gitlab/security-policies/policy.yml', undefined)).toContain('pipeline_execution_policy');
    expect(gitlab.requests[0]?.headers['job-token']).toBe(JOB_TOKEN);
  });

  it('cannot see private projects with CI_JOB_TOKEN elsewhere: REST and GraphQL take the request as anonymous', async () => {
    const source = testGitlabSource(gitlab, { credential: { header: 'JOB-TOKEN', value: JOB_TOKEN } });
    expect(await source.readProject('acme/web')).toBeUndefined();
    expect(await source.listFiles('acme/web', undefined)).toEqual([]);
    expect(await source.openMergeRequests('acme/web', 'feature/cart')).toEqual([]);
    const error = await failure(source.policyProjectsOf('acme/web'));
    expect([error.code, error.message]).toEqual(['gitlab-project-not-found', 'GitLab shows no project acme/web: its security policy projects cannot be listed']);
  });

  it('waits as long as Retry-After says on a 429, then reads the file', async () => {
    gitlab.use(rateLimitedOnce(`${API_URL}/projects/acme%2Fweb/repository/files/README.md/raw`, 3));
    const sleeps: number[] = [];
    expect(await testGitlabSource(gitlab, { sleeps }).readFile('acme/web', 'README.md', undefined)).toContain('acme/web');
    expect(sleeps).toEqual([3000]);
    expect(requestedPaths(gitlab)).toEqual(['GET /projects/acme%2Fweb/repository/files/README.md/raw', 'GET /projects/acme%2Fweb/repository/files/README.md/raw']);
  });
});
