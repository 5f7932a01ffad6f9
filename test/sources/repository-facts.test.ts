/**
 * rules:changes facts from a real git checkout: push pipelines compare with the before SHA,
 * merge request pipelines and compare_to with the merge base; unknown means "changed".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepositoryFacts, type FactsOptions } from '../../src/sources/repository-facts.js';
import type { Source } from '../../src/sources/source.js';

let dir: string;
let firstSha: string;
let headSha: string;

const git = (...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], {
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  }).toString().trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'facts-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), 'one\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  firstSha = git('rev-parse', 'HEAD');
  git('checkout', '-qb', 'feature');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/app.js'), 'x\n');
  git('add', '.');
  git('commit', '-qm', 'feature work');
  git('checkout', '-q', 'main');
  writeFileSync(join(dir, 'CHANGELOG.md'), 'main moved on\n');
  git('add', '.');
  git('commit', '-qm', 'main work');
  git('checkout', '-q', 'feature');
  headSha = git('rev-parse', 'HEAD');
});

const noSource: Source = {
  readFile: async () => undefined,
  listFiles: async (project) => (project === 'other/p' ? ['other.yml'] : ['README.md', 'src/app.js']),
  readTemplate: async () => undefined,
  readProject: async () => undefined,
  openMergeRequests: async () => [],
};

function facts(options: Partial<FactsOptions>) {
  return createRepositoryFacts({
    source: noSource, project: 'acme/web', ref: undefined, changedPaths: undefined, checkoutDir: dir,
    pipelineSource: 'push', beforeSha: undefined, sha: headSha, mergeRequestTarget: undefined, ...options,
  });
}

describe('repository facts', () => {
  it('push: the paths changed since the before SHA', async () => {
    expect(await facts({ beforeSha: firstSha }).changedPaths(undefined)).toEqual(['src/app.js']);
  });

  it('push of a new branch (no before SHA, or all zeros): unknown, so changes match', async () => {
    expect(await facts({}).changedPaths(undefined)).toBeUndefined();
    expect(await facts({ beforeSha: '0000000000000000000000000000000000000000' }).changedPaths(undefined)).toBeUndefined();
  });

  it('merge request: changes from the merge base with the target, not what the target gained since', async () => {
    const changed = await facts({ pipelineSource: 'merge_request_event', mergeRequestTarget: 'main' }).changedPaths(undefined);
    expect(changed).toEqual(['src/app.js']);
  });

  it('compare_to: against the named ref, in any pipeline', async () => {
    expect(await facts({ pipelineSource: 'schedule' }).changedPaths('main')).toEqual(['src/app.js']);
  });

  it('tags, schedules and web pipelines without compare_to: unknown', async () => {
    expect(await facts({ pipelineSource: 'schedule' }).changedPaths(undefined)).toBeUndefined();
    expect(await facts({ pipelineSource: 'web' }).changedPaths(undefined)).toBeUndefined();
  });

  it('an explicit list wins over git; a ref git does not know is unknown', async () => {
    expect(await facts({ changedPaths: ['a.txt'] }).changedPaths('main')).toEqual(['a.txt']);
    expect(await facts({ pipelineSource: 'schedule' }).changedPaths('no-such-ref')).toBeUndefined();
  });

  it('exists: the pipeline project by default, another project when named', async () => {
    expect(await facts({}).projectFiles(undefined, undefined)).toEqual(['README.md', 'src/app.js']);
    expect(await facts({}).projectFiles('other/p', undefined)).toEqual(['other.yml']);
  });
});
