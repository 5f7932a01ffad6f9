/**
 * Responses kept by ETag across runs (SPEC §7): a second source instance on the same cache
 * folder asks with If-None-Match, GitLab answers 304, and the kept bodies give the same answers.
 * Raw files carry no ETag: they are kept under the SHA-256 GitLab sends with them
 * (X-Gitlab-Content-Sha256) and checked against it when read back. A file kept by an earlier run
 * is asked with a HEAD (.../files/:path, the same header) first; a file with nothing kept is
 * downloaded at once.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitlabSource } from '../../src/sources/gitlab/gitlab-source.js';
import type { CacheFileSystem } from '../../src/sources/gitlab/response-cache.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { useGitlab } from '../http/gitlab-server.js';
import { testClient, testGitlabSource } from './gitlab-test-source.js';

const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { only: ['project', 'raw-file', 'file-metadata', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));
const isRawFile = (request: { readonly method: string; readonly url: string }): boolean => request.method === 'GET' && request.url.includes('/raw');

async function readEverything(cacheDir: string): Promise<unknown[]> {
  const source = testGitlabSource(gitlab, { cacheDir });
  return Promise.all([
    source.readFile('security/policies', '.gitlab/security-policies/policy.yml', undefined),
    source.listFiles('acme/web', 'main'),
    source.readProject('acme/web'),
  ]);
}

describe('ETag cache', () => {
  it('revalidates with If-None-Match on the next run and reuses the kept bodies on 304', async () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'gitlab-cache-')), 'cache');
    const first = await readEverything(cacheDir);
    expect(gitlab.requests.every((request) => request.headers['if-none-match'] === undefined)).toBe(true);
    const withEtag = gitlab.requests.filter((request) => request.method === 'GET' && !isRawFile(request)).length;
    // One entry per JSON answer (ETag), and for the policy file its text (by SHA-256 and by git
    // blob id), the record that this run read it and the note of the files read in that project.
    // The file was downloaded at once: nothing kept, no HEAD.
    expect(readdirSync(cacheDir)).toHaveLength(withEtag + 4);
    expect(gitlab.requests.filter((request) => request.method === 'HEAD')).toEqual([]);

    const before = gitlab.requests.length;
    const second = await readEverything(cacheDir);
    expect(second).toEqual(first);
    const again = gitlab.requests.slice(before);
    const revalidated = again.filter((request) => request.headers['if-none-match'] !== undefined);
    expect(revalidated).toHaveLength(withEtag);
    expect(revalidated.map((request) => request.method)).toEqual(revalidated.map(() => 'GET'));
    // The file is not downloaded again: its metadata names content the cache holds.
    expect(again.filter(isRawFile)).toEqual([]);
    expect(again.filter((request) => request.method === 'HEAD').map((request) => new URL(request.url).pathname)).toEqual([
      '/api/v4/projects/security%2Fpolicies/repository/files/.gitlab%2Fsecurity-policies%2Fpolicy.yml',
    ]);
  });

  it('a kept file whose content does not match its digest (a poisoned cache) is not used: the file is downloaded', async () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'gitlab-cache-')), 'cache');
    const [policy] = await readEverything(cacheDir);
    for (const name of readdirSync(cacheDir)) {
      const file = join(cacheDir, name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { body: string };
      if (entry.body === policy) writeFileSync(file, JSON.stringify({ ...entry, body: 'pipeline_execution_policy: []\n' }));
    }
    const before = gitlab.requests.length;
    const [again] = await readEverything(cacheDir);
    expect(again).toBe(policy);
    expect(gitlab.requests.slice(before).filter(isRawFile)).toHaveLength(1);
  });

  it('with CI_JOB_TOKEN, which the metadata route does not accept (404), the file is still read', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    gitlab.use(...gitlabHandlersFor('examples/workspace', { jobToken: 'job-token-123', only: ['raw-file', 'file-metadata'] }));
    const read = () =>
      testGitlabSource(gitlab, { cacheDir, credential: { header: 'JOB-TOKEN', value: 'job-token-123' } }).readFile('security/policies', '.gitlab/security-policies/policy.yml', undefined);
    expect(await read()).toContain('pipeline_execution_policy');
    // The second run holds a copy and asks for the digest first: 404 for the job token, so it downloads.
    expect(await read()).toContain('pipeline_execution_policy');
    expect(gitlab.requests.map((request) => `${request.method} ${new URL(request.url).pathname.endsWith('/raw') ? 'raw' : 'metadata'}`)).toEqual(['GET raw', 'HEAD metadata', 'GET raw']);
  });

  it('a file nothing is kept for is downloaded without a HEAD, and its digest is taken from the download', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    const read = () => testGitlabSource(gitlab, { cacheDir }).readFile('acme/ci-templates', 'templates/node.yml', 'main');
    const first = await read();
    expect(gitlab.requests.map((request) => request.method)).toEqual(['GET']);
    // Asked twice in one run: read once.
    const source = testGitlabSource(gitlab, { cacheDir });
    const [again, twice] = await Promise.all([source.readFile('acme/ci-templates', 'templates/node.yml', 'main'), source.readFile('acme/ci-templates', 'templates/node.yml', 'main')]);
    expect([again, twice]).toEqual([first, first]);
    expect(gitlab.requests.map((request) => request.method)).toEqual(['GET', 'HEAD']);
    expect(new URL(gitlab.requests[1]?.url ?? '').searchParams.get('ref')).toBe('main');
  });

  it('a record of a read whose text is gone from the folder sends no HEAD: the file is downloaded', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    const read = () => testGitlabSource(gitlab, { cacheDir }).readFile('acme/ci-templates', 'templates/node.yml', 'main');
    const text = await read();
    for (const name of readdirSync(cacheDir)) {
      if ((JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { body: string }).body === text) rmSync(join(cacheDir, name));
    }
    expect(await read()).toBe(text);
    expect(gitlab.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
  });

  it('files an earlier run read together at one project are revalidated by one tree listing: only a changed file is downloaded', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gitlab-cache-ws-'));
    cpSync('examples/workspace', workspace, { recursive: true });
    gitlab.use(...gitlabHandlersFor(workspace, { only: ['raw-file', 'tree'] }));
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    const paths = ['.gitlab/security-policies/policy.yml', 'ci/supply-chain.yml', 'ci/compliance-audit.yml'];
    const readAll = () => {
      const source = testGitlabSource(gitlab, { cacheDir });
      return Promise.all(paths.map((path) => source.readFile('security/policies', path, undefined)));
    };
    const first = await readAll();
    const requested = () => gitlab.requests.map((request) => `${request.method} ${decodeURIComponent(new URL(request.url).pathname).replace('/api/v4/projects/security/policies/repository/', '')}`);
    expect(requested().sort()).toEqual(paths.map((path) => `GET files/${path}/raw`).sort());
    expect(await readAll()).toEqual(first);
    expect(requested().slice(3)).toEqual(['GET tree']);
    // A commit changes one file: the listing names a new blob id for it, and only it is downloaded.
    const changed = join(workspace, 'security/policies/ci/supply-chain.yml');
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}\n# changed\n`);
    const third = await readAll();
    expect(third[1]).toContain('# changed');
    expect([third[0], third[2]]).toEqual([first[0], first[2]]);
    expect(requested().slice(4)).toEqual(['GET tree', 'GET files/ci/supply-chain.yml/raw']);
  });

  it('a tree listing longer than one page is not used: that run and the next ones ask each kept file with a HEAD', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gitlab-cache-ws-'));
    cpSync('examples/workspace', workspace, { recursive: true });
    for (let index = 0; index < 120; index += 1) writeFileSync(join(workspace, `security/policies/ci/filler-${index}.yml`), `# ${index}\n`);
    gitlab.use(...gitlabHandlersFor(workspace, { only: ['raw-file', 'file-metadata', 'tree'] }));
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    const paths = ['ci/supply-chain.yml', 'ci/compliance-audit.yml'];
    const readAll = () => {
      const source = testGitlabSource(gitlab, { cacheDir });
      return Promise.all(paths.map((path) => source.readFile('security/policies', path, undefined)));
    };
    const first = await readAll();
    const methods = () => gitlab.requests.map((request) => `${request.method} ${new URL(request.url).pathname.endsWith('/tree') ? 'tree' : 'file'}`);
    expect(methods()).toEqual(['GET file', 'GET file']);
    expect(await readAll()).toEqual(first);
    expect(methods().slice(2)).toEqual(['GET tree', 'HEAD file', 'HEAD file']);
    expect(await readAll()).toEqual(first);
    expect(methods().slice(5)).toEqual(['HEAD file', 'HEAD file']);
  });

  it('a kept file rewritten under its blob id (a poisoned cache) is not used: the file is downloaded', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    const paths = ['.gitlab/security-policies/policy.yml', 'ci/supply-chain.yml'];
    const readAll = () => {
      const source = testGitlabSource(gitlab, { cacheDir });
      return Promise.all(paths.map((path) => source.readFile('security/policies', path, undefined)));
    };
    const [policy, ci] = await readAll();
    for (const name of readdirSync(cacheDir)) {
      const file = join(cacheDir, name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { body: string };
      if (entry.body === policy) writeFileSync(file, JSON.stringify({ ...entry, body: 'pipeline_execution_policy: []\n' }));
    }
    const before = gitlab.requests.length;
    expect(await readAll()).toEqual([policy, ci]);
    const again = gitlab.requests.slice(before).map((request) => `${request.method} ${new URL(request.url).pathname.split('/').slice(-2).join('/')}`);
    expect(again).toEqual(['GET repository/tree', 'GET .gitlab%2Fsecurity-policies%2Fpolicy.yml/raw']);
  });

  it('keeps no token in the cache: not in file names, not in contents', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gitlab-cache-'));
    await readEverything(cacheDir);
    for (const name of readdirSync(cacheDir)) {
      expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
      expect(readFileSync(join(cacheDir, name), 'utf8')).not.toContain(DEFAULT_TOKEN);
    }
  });

  it('writes each entry under a temporary name and renames it into place', async () => {
    const operations: string[] = [];
    const files = new Map<string, string>();
    const fs: CacheFileSystem = {
      readFile: (path) => Promise.resolve(files.get(path)),
      writeFile: (path, text) => {
        operations.push(`write ${path.endsWith('.tmp') ? 'temporary' : 'final'}`);
        files.set(path, text);
        return Promise.resolve();
      },
      rename: (from, to) => {
        operations.push('rename');
        files.set(to, files.get(from) ?? '');
        files.delete(from);
        return Promise.resolve();
      },
      mkdir: () => Promise.resolve(),
    };
    const source = createGitlabSource({ client: testClient(gitlab), cacheDir: '/cache', fs });
    await source.readFile('acme/web', '.gitlab-ci.yml', undefined);
    // The text under its two digests, the record that this file was read, the note of the project's files.
    expect(operations).toEqual(Array.from({ length: 4 }, () => ['write temporary', 'rename']).flat());
    expect([...files.keys()]).toEqual(Array.from({ length: 4 }, () => expect.stringMatching(/^\/cache\/[0-9a-f]{64}\.json$/)));
  });

  it('still answers when the cache folder cannot be written', async () => {
    const fs: CacheFileSystem = {
      readFile: () => Promise.resolve(undefined),
      writeFile: () => Promise.reject(new Error('EROFS: read-only file system')),
      rename: () => Promise.reject(new Error('unexpected')),
      mkdir: () => Promise.resolve(),
    };
    const source = createGitlabSource({ client: testClient(gitlab), cacheDir: '/read-only', fs });
    expect(await source.readFile('acme/web', 'Dockerfile', undefined)).toContain('FROM');
  });
});
