/**
 * One contract, two sources (STYLE "one contract suite runs against both"): the offline
 * workspace and the GitLab API source give the same answers for the example workspace, the
 * latter through msw handlers that serve the same folder the way GitLab's API would.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/sources/source.js';
import { openWorkspace } from '../../src/sources/workspace/workspace-source.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { testGitlabSource } from './gitlab-test-source.js';

// examples/workspace plus one CI template, so readTemplate has something to find.
const root = mkdtempSync(join(tmpdir(), 'contract-'));
cpSync('examples/workspace', root, { recursive: true });
mkdirSync(join(root, '.gitlab-ci-templates/Jobs'), { recursive: true });
writeFileSync(join(root, '.gitlab-ci-templates/Jobs/Build.gitlab-ci.yml'), 'build:\n  script: [make]\n');

// GitLab's templates API cannot serve `Jobs/Build` (a folder): the API source reads a copy of the
// templates folder, as --ci-templates gives it (src/sources/gitlab/ci-templates.ts).
const gitlab = useGitlab(gitlabHandlersFor(root, { only: ['project', 'raw-file', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'merge-requests', 'graphql'] }));

const PROJECTS = ['acme/web', 'acme/api', 'acme/ci-templates', 'security/policies'];

const sources: Record<string, () => Promise<Source>> = {
  workspace: () => openWorkspace(root),
  gitlab: () => Promise.resolve(testGitlabSource(gitlab, { ciTemplates: { kind: 'dir', dir: join(root, '.gitlab-ci-templates') } })),
};

describe.each(Object.keys(sources))('%s source', (name) => {
  let source: Source;
  let reference: Source;
  beforeAll(async () => {
    source = await sources[name]!();
    reference = await openWorkspace(root);
  });

  it('lists every file of each example project, sorted, and nothing for an unknown project', async () => {
    expect(await source.listFiles('acme/web', undefined)).toEqual([
      '.gitlab-ci.yml',
      'Dockerfile',
      'README.md',
      'ci/build.yml',
      'ci/deploy.yml',
      'ci/test.yml',
      'package-lock.json',
      'package.json',
      'src/home.js',
      'src/index.js',
      'test/home.test.js',
    ]);
    for (const project of PROJECTS) expect(await source.listFiles(project, 'main')).toEqual(await reference.listFiles(project, 'main'));
    expect(await source.listFiles('nobody/here', undefined)).toEqual([]);
  });

  it('reads every file of each example project as the workspace has it', async () => {
    for (const project of PROJECTS) {
      for (const path of await reference.listFiles(project, undefined)) {
        expect(await source.readFile(project, path, undefined), `${project}:${path}`).toBe(await reference.readFile(project, path, undefined));
      }
    }
    expect(await source.readFile('security/policies', '.gitlab/security-policies/policy.yml', 'main')).toContain('pipeline_execution_policy');
  });

  it('says undefined for a missing file or project', async () => {
    expect(await source.readFile('acme/web', 'missing.yml', undefined)).toBeUndefined();
    expect(await source.readFile('nobody/here', '.gitlab-ci.yml', undefined)).toBeUndefined();
  });

  it('reads CI templates by file name, and undefined for an unknown one', async () => {
    expect(await source.readTemplate('Jobs/Build.gitlab-ci.yml')).toBe('build:\n  script: [make]\n');
    expect(await source.readTemplate('Nope.gitlab-ci.yml')).toBeUndefined();
  });

  it('gives project metadata: id, default branch, protected branches, frameworks, groups', async () => {
    expect(await source.readProject('acme/web')).toEqual({
      id: 101,
      path: 'acme/web',
      defaultBranch: 'main',
      protectedBranches: ['main', 'release/*'],
      complianceFrameworks: [3],
      groups: [10],
    });
    for (const project of PROJECTS) expect(await source.readProject(project)).toEqual(await reference.readProject(project));
    expect(await source.readProject('nobody/here')).toBeUndefined();
  });

  it('lists the open merge requests of a source branch (merged ones do not count), none elsewhere', async () => {
    expect(await source.openMergeRequests('acme/web', 'feature/cart')).toEqual([{ iid: 42, targetBranch: 'main' }]);
    for (const project of PROJECTS) {
      expect(await source.openMergeRequests(project, 'feature/cart')).toEqual(await reference.openMergeRequests(project, 'feature/cart'));
    }
    expect(await source.openMergeRequests('acme/web', 'main')).toEqual([]);
    expect(await source.openMergeRequests('nobody/here', 'feature/cart')).toEqual([]);
  });
});
