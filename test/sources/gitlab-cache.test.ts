/**
 * Responses kept by ETag across runs (SPEC §7): a second source instance on the same cache
 * folder asks with If-None-Match, GitLab answers 304, and the kept bodies give the same answers.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitlabSource } from '../../src/sources/gitlab/gitlab-source.js';
import type { CacheFileSystem } from '../../src/sources/gitlab/response-cache.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { useGitlab } from '../http/gitlab-server.js';
import { testClient, testGitlabSource } from './gitlab-test-source.js';

const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { only: ['project', 'raw-file', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));

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
    const kept = gitlab.requests.filter((request) => request.method === 'GET').length;
    expect(readdirSync(cacheDir)).toHaveLength(kept);

    const before = gitlab.requests.length;
    const second = await readEverything(cacheDir);
    expect(second).toEqual(first);
    const revalidated = gitlab.requests.slice(before).filter((request) => request.headers['if-none-match'] !== undefined);
    expect(revalidated).toHaveLength(kept);
    expect(revalidated.map((request) => request.method)).toEqual(revalidated.map(() => 'GET'));
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
    expect(operations).toEqual(['write temporary', 'rename']);
    expect([...files.keys()]).toEqual([expect.stringMatching(/^\/cache\/[0-9a-f]{64}\.json$/)]);
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
