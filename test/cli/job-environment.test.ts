/**
 * How a CI job's environment splits into GitLab's predefined variables and the user variables
 * (settings and pipeline variables) that rules see and policies may drop.
 */
import { describe, expect, it } from 'vitest';
import { splitJobEnvironment } from '../../src/cli/job-environment.js';

describe('splitJobEnvironment', () => {
  it('counts NODE_OPTIONS, npm_config_*, FF_* and LC_* as user variables: a project can set them', () => {
    const { userVariables } = splitJobEnvironment({
      NODE_OPTIONS: '--require=/tmp/x.js',
      npm_config_registry: 'https://evil.example',
      FF_NETWORK_PER_BUILD: 'true',
      LC_ALL: 'C',
      YARN_REGISTRY: 'https://evil.example',
    });
    expect(Object.keys(userVariables).sort()).toEqual(['FF_NETWORK_PER_BUILD', 'LC_ALL', 'NODE_OPTIONS', 'YARN_REGISTRY', 'npm_config_registry']);
  });

  it("leaves out the image's and the shell's own variables, the sidecar's settings and GitLab's credentials", () => {
    const split = splitJobEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/node',
      NODE_VERSION: '24.1.0',
      YARN_VERSION: '1.22.22',
      NODE_ENV: 'production',
      POLICY_SIDECAR_TOKEN: 'secret',
      CI_JOB_TOKEN: 'secret',
      CI_PROJECT_PATH: 'app/web',
    });
    expect(split.userVariables).toEqual({});
    expect(split.pipelineVariables).toEqual({ CI_PROJECT_PATH: 'app/web' });
  });
});
