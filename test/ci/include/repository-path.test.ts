/** Path rules of include:local / include:project, and GitLab's wildcard matching. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { hasYamlExtension, toRepositoryPath, wildcardMatcher } from '../../../src/ci/include/repository-path.js';
import { parseComponentAddress } from '../../../src/ci/include/component-address.js';
import { selectIncludeVariables } from '../../../src/ci/include/index.js';

describe('toRepositoryPath', () => {
  it.each([
    ['ci/a.yml', 'ci/a.yml'],
    ['/ci/a.yml', 'ci/a.yml'],
    ['//ci//./a.yml', 'ci/a.yml'],
    ['ci/jobs/../a.yml', 'ci/a.yml'],
  ])('%s → %s', (written, expected) => {
    expect(toRepositoryPath(written, undefined)).toBe(expected);
  });

  it.each(['../a.yml', 'ci/../../a.yml', 'C:/a.yml', '~/a.yml', 'ci\\..\\..\\a.yml'])('refuses %s', (written) => {
    expect(() => toRepositoryPath(written, { file: 'x.yml', line: 1, column: 1 })).toThrow(ConfigError);
    try {
      toRepositoryPath(written, undefined);
    } catch (error) {
      expect((error as ConfigError).code).toBe('include-path');
    }
  });
});

describe('wildcardMatcher (Repository#search_files_by_wildcard_path)', () => {
  it.each([
    ['configs/*.yml', 'configs/a.yml', true],
    ['configs/*.yml', 'configs/.hidden.yml', true],
    ['configs/*.yml', 'configs/sub/a.yml', false],
    ['configs/*.yml', 'configs/a.yaml', false],
    ['configs/**.yml', 'configs/sub/deep/a.yml', true],
    ['configs/**/*.yml', 'configs/a.yml', false],
    ['configs/**/*.yml', 'configs/sub/a.yml', true],
    ['configs/a?.yml', 'configs/ab.yml', false],
    ['configs/a?.yml', 'configs/a?.yml', true],
    ['configs/[ab].yml', 'configs/a.yml', false],
    ['c.nfigs/*.yml', 'cxnfigs/a.yml', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(wildcardMatcher(pattern)(path)).toBe(expected);
  });
});

describe('hasYamlExtension (File::Base::YAML_ALLOWLIST_EXTENSION)', () => {
  it.each([
    ['a.yml', true],
    ['dir/A.YAML', true],
    ['.yml', false],
    ['a.yml.txt', false],
    ['https://example.com/a.yml', true],
    ['https://example.com/a.yml?ref=main', false],
  ])('%s: %s', (location, expected) => {
    expect(hasYamlExtension(location)).toBe(expected);
  });
});

describe('parseComponentAddress', () => {
  it('splits project, name and version at the last slash and the @', () => {
    expect(parseComponentAddress('gitlab.example.com/group/sub/project/build@1.2.3', 'gitlab.example.com', undefined)).toEqual({
      address: 'gitlab.example.com/group/sub/project/build@1.2.3',
      project: 'group/sub/project',
      name: 'build',
      version: '1.2.3',
      ref: '1.2.3',
      candidatePaths: ['templates/build.yml', 'templates/build/template.yml'],
    });
  });

  it.each(['~latest', '1', '1.2'])('reads %s at the default ref (no catalog access)', (version) => {
    expect(parseComponentAddress(`gitlab.example.com/g/p/c@${version}`, 'gitlab.example.com', undefined).ref).toBeUndefined();
  });

  it.each(['gitlab.com/g/p/c@1.0', 'gitlab.example.com/g/p/c', 'gitlab.example.com.evil/g/p/c@1'])('refuses %s', (address) => {
    expect(() => parseComponentAddress(address, 'gitlab.example.com', undefined)).toThrow(/component path is not supported/);
  });
});

describe('selectIncludeVariables (docs "ci/yaml/includes#use-variables-with-include")', () => {
  it('keeps project, commit and pipeline-source variables, drops job and saved-pipeline ones, user on top', () => {
    const predefined = {
      CI_PROJECT_PATH: 'acme/web',
      CI_COMMIT_REF_NAME: 'main',
      CI_PIPELINE_SOURCE: 'push',
      CI_SERVER_FQDN: 'gitlab.example.com',
      CI_DEPLOY_FREEZE: 'true',
      CI_PIPELINE_ID: '1',
      CI_PIPELINE_URL: 'https://x',
      CI_JOB_ID: '2',
      CI_PROJECT_DIR: '/builds/acme/web',
    };
    expect(selectIncludeVariables(predefined, { CI_COMMIT_REF_NAME: 'override', TEAM: 'a' })).toEqual({
      CI_PROJECT_PATH: 'acme/web',
      CI_COMMIT_REF_NAME: 'override',
      CI_PIPELINE_SOURCE: 'push',
      CI_SERVER_FQDN: 'gitlab.example.com',
      CI_DEPLOY_FREEZE: 'true',
      TEAM: 'a',
    });
  });
});
