/**
 * include:template in API mode. GitLab's templates route takes only `[\w.-]+` names
 * (lib/api/templates.rb `requirements: { name: /[\w\.-]+/ }`), so `Jobs/SAST` cannot be read
 * through it on any version: the stand-in answers `Jobs%2FSAST` with 404 as GitLab's router does.
 * Nested names come from a copy of GitLab's templates folder (--ci-templates: a folder, or a
 * project folder at a ref); without one, a nested name stops the run with what to do.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { useGitlab } from '../http/gitlab-server.js';
import { failure, requestedPaths, testClient, testGitlabSource } from './gitlab-test-source.js';

const root = mkdtempSync(join(tmpdir(), 'ci-templates-'));
writeFileSync(join(root, 'workspace.yml'), 'projects:\n  platform/ci-templates: { id: 700, groups: [70] }\n');
const write = (path: string, text: string): void => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
write('platform/ci-templates/templates/Jobs/SAST.gitlab-ci.yml', 'sast:\n  script: [mirrored]\n');
// What the stand-in's templates API serves (flat and nested alike; its route refuses the nested).
write('.gitlab-ci-templates/Bash.gitlab-ci.yml', 'bash:\n  script: [api]\n');
write('.gitlab-ci-templates/Jobs/SAST.gitlab-ci.yml', 'sast:\n  script: [api]\n');
const localCopy = join(root, 'local-copy');
write('local-copy/Security/SAST.gitlab-ci.yml', 'sast:\n  script: [local]\n');

const gitlab = useGitlab();

describe('include:template through the GitLab API', () => {
  it("GitLab's route answers 404 for a nested name (Jobs%2FSAST), whatever the template folder holds", async () => {
    gitlab.use(...gitlabHandlersFor(root, { only: ['template'] }));
    const response = await testClient(gitlab).request('GET', 'templates/gitlab_ci_ymls/Jobs%2FSAST', { acceptStatuses: [404] });
    expect(response.status).toBe(404);
  });

  it('a flat name is read through the API', async () => {
    gitlab.use(...gitlabHandlersFor(root, { only: ['template'] }));
    expect(await testGitlabSource(gitlab).readTemplate('Bash.gitlab-ci.yml')).toBe('bash:\n  script: [api]\n');
    expect(requestedPaths(gitlab)).toEqual(['GET /templates/gitlab_ci_ymls/Bash']);
  });

  it('a nested name without --ci-templates stops with ci-template-not-served, and sends nothing', async () => {
    const error = await failure(testGitlabSource(gitlab).readTemplate('Jobs/SAST.gitlab-ci.yml'));
    expect(error.code).toBe('ci-template-not-served');
    expect(error.hint).toContain('--ci-templates');
    expect(gitlab.requests).toEqual([]);
  });
});

describe('--ci-templates', () => {
  it('project:<path>@<ref>:<folder>: the template is a raw file of that project at that ref', async () => {
    gitlab.use(...gitlabHandlersFor(root, { only: ['raw-file'] }));
    const source = testGitlabSource(gitlab, { ciTemplates: { kind: 'project', project: 'platform/ci-templates', ref: 'v17.11.0-ee', folder: 'templates' } });
    expect(await source.readTemplate('Jobs/SAST.gitlab-ci.yml')).toBe('sast:\n  script: [mirrored]\n');
    expect(requestedPaths(gitlab)).toEqual(['GET /projects/platform%2Fci-templates/repository/files/templates%2FJobs%2FSAST.gitlab-ci.yml/raw?ref=v17.11.0-ee']);
  });

  it('DIR: read from the folder; a name climbing out of it is no template', async () => {
    const source = testGitlabSource(gitlab, { ciTemplates: { kind: 'dir', dir: localCopy } });
    expect(await source.readTemplate('Security/SAST.gitlab-ci.yml')).toBe('sast:\n  script: [local]\n');
    expect(await source.readTemplate('Jobs/Missing.gitlab-ci.yml')).toBeUndefined();
    expect(await source.readTemplate('../.gitlab-ci-templates/Bash.gitlab-ci.yml')).toBeUndefined();
    expect(gitlab.requests).toEqual([]);
  });
});
