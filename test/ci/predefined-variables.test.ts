import { describe, expect, it } from 'vitest';
import { derivePredefinedVariables, isProtected, slugify } from '../../src/ci/predefined-variables.js';

const project = {
  id: 7,
  path: 'acme/tools/web',
  defaultBranch: 'main',
  protectedBranches: ['main', 'release/*'],
  complianceFrameworks: [],
  groups: [],
};
const base = { mergeRequestTarget: undefined, mergeRequestIid: undefined, configPath: '.gitlab-ci.yml', serverHost: 'gitlab.example.com', sha: undefined };

describe('derivePredefinedVariables', () => {
  it('branch pipelines have CI_COMMIT_BRANCH and no tag', () => {
    const variables = derivePredefinedVariables(project, { ...base, source: 'push', branch: 'release/1.2', tag: undefined });
    expect(variables).toMatchObject({
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_BRANCH: 'release/1.2',
      CI_COMMIT_REF_NAME: 'release/1.2',
      CI_COMMIT_REF_SLUG: 'release-1-2',
      CI_COMMIT_REF_PROTECTED: 'true',
      CI_PROJECT_NAMESPACE: 'acme/tools',
      CI_PROJECT_NAME: 'web',
      CI_PROJECT_ROOT_NAMESPACE: 'acme',
    });
    expect(variables['CI_COMMIT_TAG']).toBeUndefined();
  });

  it('tag pipelines have CI_COMMIT_TAG and no CI_COMMIT_BRANCH', () => {
    const variables = derivePredefinedVariables(project, { ...base, source: 'push', branch: undefined, tag: 'v1.0' });
    expect(variables['CI_COMMIT_TAG']).toBe('v1.0');
    expect(variables['CI_COMMIT_BRANCH']).toBeUndefined();
  });

  it('merge request pipelines have the MR variables and no CI_COMMIT_BRANCH', () => {
    const variables = derivePredefinedVariables(project, {
      ...base, source: 'merge_request_event', branch: 'feature', tag: undefined, mergeRequestTarget: 'main', mergeRequestIid: '12',
    });
    expect(variables).toMatchObject({
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature',
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      CI_MERGE_REQUEST_IID: '12',
      CI_COMMIT_REF_PROTECTED: 'false',
    });
    expect(variables['CI_COMMIT_BRANCH']).toBeUndefined();
  });
});

describe('protected branch patterns', () => {
  it.each([
    ['release/*', 'release/1.2', true],
    ['release/*', 'release/1/2', true], // GitLab's * also crosses slashes
    ['release/*', 'releases', false],
    ['main', 'main', true],
    ['v[1]', 'v[1]', true], // only * is special
  ])('%s matches %s: %s', (pattern, ref, expected) => {
    expect(isProtected(ref, [pattern])).toBe(expected);
  });

  it('slugs refs like GitLab', () => {
    expect(slugify('Feature/ABC_1')).toBe('feature-abc-1');
    expect(slugify('-x-')).toBe('x');
  });
});
