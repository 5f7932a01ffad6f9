/**
 * The GitLab source beyond the contract: pagination, absences, one round of parallel requests
 * per hierarchy level, nothing fetched twice, open merge requests, and responses of the wrong shape.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWith, gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { API_URL, failure, requestedPaths, testGitlabSource } from './gitlab-test-source.js';

// A project with 250 files (three pages of 100), in a sub-group: acme/platform/big; acme/web
// with 120 open merge requests from one branch (two pages of 100) and a closed one.
const root = mkdtempSync(join(tmpdir(), 'gitlab-source-'));
const mergeRequests = Array.from({ length: 120 }, (_, index) => `{ iid: ${index + 1}, source_branch: feature/x, target_branch: ${index % 2 === 0 ? 'main' : 'release/1'} }`);
writeFileSync(
  join(root, 'workspace.yml'),
  'projects:\n  acme/platform/big: { id: 301, default_branch: trunk, protected_branches: [trunk], groups: [10, 11] }\n' +
    `  acme/web:\n    id: 101\n    groups: [10]\n    merge_requests: [${mergeRequests.join(', ')}, { iid: 200, source_branch: feature/x, target_branch: main, state: closed }]\n`,
);
for (let index = 0; index < 250; index += 1) {
  mkdirSync(join(root, 'acme/platform/big/files'), { recursive: true });
  writeFileSync(join(root, `acme/platform/big/files/${String(index).padStart(3, '0')}.txt`), `${index}\n`);
}
mkdirSync(join(root, 'acme/web'), { recursive: true });
writeFileSync(join(root, 'acme/web/.gitlab-ci.yml'), 'job: {script: [x]}\n');

const gitlab = useGitlab(gitlabHandlersFor(root, { groupProtectedBranches: { acme: ['stable/*'] } }));

describe('GitLab source', () => {
  it('follows the tree pagination to the last page, 100 entries a page, and lists blobs only', async () => {
    const files = await testGitlabSource(gitlab).listFiles('acme/platform/big', 'trunk');
    expect(files).toHaveLength(250);
    expect(files[0]).toBe('files/000.txt');
    expect(requestedPaths(gitlab)).toEqual([
      'GET /projects/acme%2Fplatform%2Fbig/repository/tree?recursive=true&per_page=100&ref=trunk',
      'GET /projects/acme%2Fplatform%2Fbig/repository/tree?recursive=true&per_page=100&ref=trunk&page=2',
      'GET /projects/acme%2Fplatform%2Fbig/repository/tree?recursive=true&per_page=100&ref=trunk&page=3',
    ]);
  });

  it('omits ref when the run names none, so GitLab reads HEAD', async () => {
    expect(await testGitlabSource(gitlab).readFile('acme/web', '/.gitlab-ci.yml', undefined)).toBe('job: {script: [x]}\n');
    expect(requestedPaths(gitlab)).toEqual(['GET /projects/acme%2Fweb/repository/files/.gitlab-ci.yml/raw']);
  });

  it('answers undefined or [] for what GitLab answers 404', async () => {
    const source = testGitlabSource(gitlab);
    expect(await source.readFile('acme/web', 'ci/missing.yml', 'main')).toBeUndefined();
    expect(await source.readFile('acme/nothing', '.gitlab-ci.yml', undefined)).toBeUndefined();
    expect(await source.listFiles('acme/nothing', undefined)).toEqual([]);
    expect(await source.readTemplate('Nope.gitlab-ci.yml')).toBeUndefined();
    expect(await source.readFile('acme/web', '..', undefined)).toBeUndefined(); // never sent: a URL dot segment
    expect(await source.readProject('acme/nothing')).toBeUndefined();
    expect(requestedPaths(gitlab)).toContain('GET /templates/gitlab_ci_ymls/Nope');
  });

  it('reads a project and its groups in one round of parallel requests, group protected branches included', async () => {
    const source = testGitlabSource(gitlab);
    expect(await source.readProject('acme/platform/big')).toEqual({
      id: 301,
      path: 'acme/platform/big',
      defaultBranch: 'trunk',
      protectedBranches: ['trunk', 'stable/*'],
      complianceFrameworks: [],
      groups: [10, 11],
    });
    expect(requestedPaths(gitlab).sort()).toEqual([
      'GET /groups/acme',
      'GET /groups/acme%2Fplatform',
      'GET /groups/acme/protected_branches?per_page=100',
      'GET /projects/acme%2Fplatform%2Fbig',
      'GET /projects/acme%2Fplatform%2Fbig/protected_branches?per_page=100',
      'POST /api/graphql',
    ]);
    expect(gitlab.peakConcurrency()).toBe(6);
  });

  it('fetches nothing twice in a run, even when asked at the same time', async () => {
    const source = testGitlabSource(gitlab);
    await Promise.all([source.readProject('acme/web'), source.readProject('acme/web'), source.readFile('acme/web', '.gitlab-ci.yml', 'main')]);
    await source.readFile('acme/web', '.gitlab-ci.yml', 'main');
    await source.readProject('acme/web');
    const paths = requestedPaths(gitlab);
    expect(paths).toHaveLength(6);
    expect(new Set(paths).size).toBe(6);
  });

  it('reads the open merge requests of a source branch through every page, each page once per run', async () => {
    const source = testGitlabSource(gitlab);
    const [first, again] = await Promise.all([source.openMergeRequests('acme/web', 'feature/x'), source.openMergeRequests('acme/web', 'feature/x')]);
    expect(first).toHaveLength(120);
    expect(first.slice(0, 2)).toEqual([
      { iid: 1, targetBranch: 'main' },
      { iid: 2, targetBranch: 'release/1' },
    ]);
    expect(again).toEqual(first);
    expect(await source.openMergeRequests('acme/web', 'feature/x')).toEqual(first);
    expect(await source.openMergeRequests('acme/nothing', 'feature/x')).toEqual([]);
    expect(requestedPaths(gitlab)).toEqual([
      'GET /projects/acme%2Fweb/merge_requests?state=opened&source_branch=feature%2Fx&per_page=100',
      'GET /projects/acme%2Fweb/merge_requests?state=opened&source_branch=feature%2Fx&per_page=100&page=2',
      'GET /projects/acme%2Fnothing/merge_requests?state=opened&source_branch=feature%2Fx&per_page=100',
    ]);
  });

  it('refuses merge requests of the wrong shape', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/projects/acme%2Fweb/merge_requests`, { json: [{ iid: 1, state: 'opened', source_branch: 'a' }] }));
    const error = await failure(testGitlabSource(gitlab).openMergeRequests('acme/web', 'a'));
    expect([error.code, error.message]).toEqual([
      'gitlab-response-shape',
      'GET /projects/:id/merge_requests answered with an unexpected shape: $[0].target_branch: expected a string, found no value',
    ]);
  });

  it('walks the groups by parent_id when the groups found by path do not lead to the namespace', async () => {
    // As after a transfer: the path's first segment is now another group than the project's ancestor.
    gitlab.use(answerWith('GET', `${API_URL}/groups/acme`, { json: { id: 77, full_path: 'acme', parent_id: null } }));
    const metadata = await testGitlabSource(gitlab).readProject('acme/platform/big');
    expect(metadata?.groups).toEqual([10, 11]);
    expect(requestedPaths(gitlab)).toEqual(expect.arrayContaining(['GET /groups/11', 'GET /groups/10']));
  });

  it('turns a response of the wrong shape into gitlab-response-shape naming the endpoint', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/projects/acme%2Fweb`, { json: { id: '101', path_with_namespace: 'acme/web' } }));
    const error = await failure(testGitlabSource(gitlab).readProject('acme/web'));
    expect(error.code).toBe('gitlab-response-shape');
    expect(error.message).toBe('GET /projects/:id answered with an unexpected shape: $.id: expected an integer, found string "101"');
  });

  it('refuses a tree that is not a list', async () => {
    gitlab.use(answerWith('GET', `${API_URL}/projects/acme%2Fweb/repository/tree`, { json: { message: 'hello' } }));
    const error = await failure(testGitlabSource(gitlab).listFiles('acme/web', undefined));
    expect([error.code, error.message]).toEqual(['gitlab-response-shape', 'GET /projects/:id/repository/tree answered with an unexpected shape: $: expected a list, found an object']);
  });
});
