/**
 * The checkout source: the pipeline's own project at the pipeline's ref comes from the checkout
 * folder (with the workspace's path protections), everything else from the fallback.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { createCheckoutSource } from '../../src/sources/checkout/checkout-source.js';
import type { ProjectMetadata, Source } from '../../src/sources/source.js';

let checkout: string;
const asked: string[] = [];

/** A fallback that says what it was asked: it stands for the GitLab source. */
const fallback: Source = {
  readFile: (project, path, ref) => {
    asked.push(`readFile ${project} ${path} ${ref ?? '-'}`);
    return Promise.resolve(`from API: ${project}:${path}`);
  },
  listFiles: (project, ref) => {
    asked.push(`listFiles ${project} ${ref ?? '-'}`);
    return Promise.resolve(['api.yml']);
  },
  readTemplate: (name) => {
    asked.push(`readTemplate ${name}`);
    return Promise.resolve(undefined);
  },
  readProject: (path) => {
    asked.push(`readProject ${path}`);
    const metadata: ProjectMetadata = { id: 1, path, defaultBranch: 'main', protectedBranches: [], complianceFrameworks: [], groups: [] };
    return Promise.resolve(metadata);
  },
  openMergeRequests: (project, sourceBranch) => {
    asked.push(`openMergeRequests ${project} ${sourceBranch}`);
    return Promise.resolve([{ iid: 7, targetBranch: 'main' }]);
  },
};

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'checkout-'));
  checkout = join(root, 'build');
  mkdirSync(join(checkout, 'ci'), { recursive: true });
  mkdirSync(join(checkout, '.git'), { recursive: true });
  writeFileSync(join(checkout, '.gitlab-ci.yml'), 'include: ci/build.yml\n');
  writeFileSync(join(checkout, 'ci/build.yml'), 'build: {script: [make]}\n');
  writeFileSync(join(checkout, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(root, 'secret.txt'), 'runner secret\n');
  symlinkSync(join(root, 'secret.txt'), join(checkout, 'leak.yml'));
});

describe('checkout source', () => {
  it('reads the pipeline project at the pipeline ref from the checkout, without asking the API', async () => {
    asked.length = 0;
    const source = createCheckoutSource({ dir: checkout, project: 'acme/web', fallback });
    expect(await source.readFile('acme/web', '.gitlab-ci.yml', undefined)).toBe('include: ci/build.yml\n');
    expect(await source.readFile('acme/web', '/ci/build.yml', undefined)).toBe('build: {script: [make]}\n');
    expect(await source.readFile('acme/web', 'missing.yml', undefined)).toBeUndefined();
    expect(await source.listFiles('acme/web', undefined)).toEqual(['.gitlab-ci.yml', 'ci/build.yml', 'leak.yml']);
    expect(asked).toEqual([]);
  });

  it('refuses paths and links that leave the checkout', async () => {
    const source = createCheckoutSource({ dir: checkout, project: 'acme/web', fallback });
    const outside = await source.readFile('acme/web', '../secret.txt', undefined).catch((error: unknown) => error);
    const linked = await source.readFile('acme/web', 'leak.yml', undefined).catch((error: unknown) => error);
    expect([outside, linked].map((error) => (error instanceof SourceError ? error.code : String(error)))).toEqual(['path-outside', 'path-outside']);
  });

  it('sends other projects, other refs, templates, metadata and merge requests to the fallback', async () => {
    asked.length = 0;
    const source = createCheckoutSource({ dir: checkout, project: 'acme/web', fallback });
    expect(await source.readFile('acme/ci-templates', 'templates/node.yml', undefined)).toBe('from API: acme/ci-templates:templates/node.yml');
    expect(await source.readFile('acme/web', '.gitlab-ci.yml', 'v1.0')).toBe('from API: acme/web:.gitlab-ci.yml');
    expect(await source.listFiles('acme/web', 'main')).toEqual(['api.yml']);
    await source.readTemplate('Jobs/SAST.gitlab-ci.yml');
    await source.readProject('acme/web');
    expect(await source.openMergeRequests('acme/web', 'feature/cart')).toEqual([{ iid: 7, targetBranch: 'main' }]);
    expect(asked).toEqual([
      'readFile acme/ci-templates templates/node.yml -',
      'readFile acme/web .gitlab-ci.yml v1.0',
      'listFiles acme/web main',
      'readTemplate Jobs/SAST.gitlab-ci.yml',
      'readProject acme/web',
      'openMergeRequests acme/web feature/cart',
    ]);
  });
});
