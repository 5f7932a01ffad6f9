import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, stableProjectId } from '../../src/sources/workspace/workspace-source.js';
import { SourceError, UsageError } from '../../src/errors.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'workspace-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('workspace.yml', 'projects:\n  acme/web:\n    id: 101\n    default_branch: trunk\n    protected_branches: [trunk, "release/*"]\n    compliance_frameworks: [3]\n    groups: [10, 11]\n' +
    '    merge_requests:\n' +
    '      - { iid: 9, source_branch: feature/a, target_branch: release/1, state: opened }\n' +
    '      - { iid: 3, source_branch: feature/a, target_branch: trunk }\n' +
    '      - { iid: 2, source_branch: feature/a, target_branch: trunk, state: merged }\n' +
    '      - { iid: 4, source_branch: feature/a, target_branch: trunk, state: closed }\n' +
    '      - { iid: 5, source_branch: feature/b, target_branch: trunk }\n');
  write('acme/web/.gitlab-ci.yml', 'job: {script: [x]}\n');
  write('acme/web/ci/b.yml', 'b: 1\n');
  write('acme/web/ci/a.yml', 'a: 1\n');
  write('acme/web/.git/config', '[core]\n');
  write('acme/other/README.md', 'hello\n');
  write('secret.txt', 'do not read\n');
  write('.gitlab-ci-templates/Jobs/Build.gitlab-ci.yml', 'build: {script: [make]}\n');
  symlinkSync(join(root, 'secret.txt'), join(root, 'acme/web/escape.yml'));
});

describe('workspace source', () => {
  it('reads project files and templates, and says undefined for missing ones', async () => {
    const workspace = await openWorkspace(root);
    expect(await workspace.readFile('acme/web', '.gitlab-ci.yml', undefined)).toBe('job: {script: [x]}\n');
    expect(await workspace.readFile('acme/web', '/ci/a.yml', 'any-ref')).toBe('a: 1\n');
    expect(await workspace.readFile('acme/web', 'missing.yml', undefined)).toBeUndefined();
    expect(await workspace.readFile('nobody/here', 'x.yml', undefined)).toBeUndefined();
    expect(await workspace.readTemplate('Jobs/Build.gitlab-ci.yml')).toContain('make');
    expect(await workspace.readTemplate('Nope.gitlab-ci.yml')).toBeUndefined();
  });

  it('lists files sorted, without .git', async () => {
    const workspace = await openWorkspace(root);
    expect(await workspace.listFiles('acme/web', undefined)).toEqual(['.gitlab-ci.yml', 'ci/a.yml', 'ci/b.yml', 'escape.yml']);
    expect(await workspace.listFiles('nobody/here', undefined)).toEqual([]);
  });

  it('refuses paths and links that leave the project', async () => {
    const workspace = await openWorkspace(root);
    await expect(workspace.readFile('acme/web', '../../secret.txt', undefined)).rejects.toThrow(SourceError);
    await expect(workspace.readFile('acme/web', 'escape.yml', undefined)).rejects.toMatchObject({ code: 'path-outside' });
    await expect(workspace.readFile('../etc', 'passwd', undefined)).rejects.toMatchObject({ code: 'path-outside' });
    await expect(workspace.readTemplate('../secret.txt')).rejects.toMatchObject({ code: 'path-outside' });
  });

  it('gives metadata from workspace.yml, and stable defaults for unlisted projects', async () => {
    const workspace = await openWorkspace(root);
    expect(await workspace.readProject('acme/web')).toEqual({
      id: 101,
      path: 'acme/web',
      defaultBranch: 'trunk',
      protectedBranches: ['trunk', 'release/*'],
      complianceFrameworks: [3],
      groups: [10, 11],
    });
    expect(await workspace.readProject('acme/other')).toMatchObject({ id: stableProjectId('acme/other'), defaultBranch: 'main' });
    expect(await workspace.readProject('nobody/here')).toBeUndefined();
  });

  it('lists the open merge requests of a source branch by iid; none for other branches or projects', async () => {
    const workspace = await openWorkspace(root);
    expect(await workspace.openMergeRequests('acme/web', 'feature/a')).toEqual([
      { iid: 3, targetBranch: 'trunk' },
      { iid: 9, targetBranch: 'release/1' },
    ]);
    expect(await workspace.openMergeRequests('acme/web', 'trunk')).toEqual([]);
    expect(await workspace.openMergeRequests('acme/other', 'feature/a')).toEqual([]);
    expect(await workspace.openMergeRequests('nobody/here', 'feature/a')).toEqual([]);
  });

  it.each([
    ['[{ iid: 1, source_branch: a, target_branch: b, title: x }]', 'projects.a/b.merge_requests[0]: unknown key title'],
    ['[{ iid: 1, source_branch: a, target_branch: b, state: open }]', 'projects.a/b.merge_requests[0].state must be one of opened, closed, locked, merged'],
    ['[{ iid: 0, source_branch: a, target_branch: b }]', 'projects.a/b.merge_requests[0].iid must be a positive integer'],
    ['[{ iid: 1, target_branch: b }]', 'projects.a/b.merge_requests[0].source_branch must be a branch name'],
    ['[{ iid: 1, source_branch: a, target_branch: b }, { iid: 1, source_branch: c, target_branch: b }]', 'projects.a/b.merge_requests[1].iid 1 is listed twice'],
    ['{ iid: 1 }', 'projects.a/b.merge_requests must be a list of merge requests'],
  ])('refuses merge_requests: %s', async (list, message) => {
    const bad = mkdtempSync(join(tmpdir(), 'workspace-bad-'));
    writeFileSync(join(bad, 'workspace.yml'), `projects:\n  a/b:\n    merge_requests: ${list}\n`);
    await expect(openWorkspace(bad)).rejects.toMatchObject({ code: 'workspace-metadata', message });
  });

  it('reports bad workspace.yml with the file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'workspace-bad-'));
    writeFileSync(join(bad, 'workspace.yml'), 'projects:\n  a/b:\n    id: "x"\n');
    await expect(openWorkspace(bad)).rejects.toThrow(UsageError);
    await expect(openWorkspace(join(bad, 'missing'))).rejects.toMatchObject({ code: 'workspace-missing' });
  });
});
