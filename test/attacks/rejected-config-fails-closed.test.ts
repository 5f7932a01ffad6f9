/**
 * Attack: a project (Developer or Maintainer) writes CI configuration GitLab rejects, but which
 * policy-sidecar used to accept and pass on into the composed pipeline (issue 12, B.5): job-level
 * `when: never`, `needs` of a job in a later stage, `dependencies` naming no job, a null need,
 * three `cache:key:files`. GitLab then refused the child pipeline, later and less clearly, and
 * the error surfaced as a failed trigger job instead of at compose. Expected: compose fails
 * closed at once with GitLab's message and writes no pipeline, also with `--fail-open`, also when
 * the project's file reaches compose only through an `override_project_ci` policy that includes
 * it (the project's files were read, so the error is the project's: fail-open.ts).
 */
import { describe, expect, it } from 'vitest';
import type { WorkspaceFiles } from '../helpers/temp-workspace.js';
import { composeProcess } from './real-cli.js';

const pep = (name: string, file: string, strategy: string) => ({
  name,
  enabled: true,
  pipeline_config_strategy: strategy,
  content: { include: [{ project: 'sec/policies', file }] },
});

function workspace(projectCi: unknown, strategy: 'inject_policy' | 'override_project_ci'): WorkspaceFiles {
  const policyCi =
    strategy === 'inject_policy'
      ? { gate: { stage: '.pipeline-policy-pre', script: ['check'] } }
      : { include: [{ project: '$CI_PROJECT_PATH', file: '$CI_CONFIG_PATH' }], gate: { stage: 'test', script: ['check'] } };
  return {
    'workspace.yml': { projects: { 'shop/web': { id: 41, groups: [7] }, 'sec/policies': { id: 900 } } },
    'shop/web/.gitlab-ci.yml': projectCi,
    'sec/policies/.gitlab/security-policies/policy.yml': { pipeline_execution_policy: [pep('Gate', 'ci/gate.yml', strategy)] },
    'sec/policies/ci/gate.yml': policyCi,
  };
}

const build = { stage: 'build', script: ['make'] };
const cases: readonly { name: string; ci: Record<string, unknown>; message: string }[] = [
  {
    name: 'job-level when: never',
    ci: { stages: ['build', 'test'], build, lint: { stage: 'test', script: ['lint'], when: 'never' } },
    message: 'jobs:lint when should be one of: on_success, on_failure, always, manual, delayed',
  },
  {
    name: 'needs of a job in a later stage',
    ci: { stages: ['build', 'test'], build: { ...build, needs: ['lint'] }, lint: { stage: 'test', script: ['lint'] } },
    message: 'build job: need lint is not defined in current or prior stages',
  },
  {
    name: 'dependencies naming no job',
    ci: { stages: ['build', 'test'], build, lint: { stage: 'test', script: ['lint'], dependencies: ['compile'] } },
    message: 'lint job: undefined dependency: compile',
  },
  {
    name: 'a null need',
    ci: { stages: ['build', 'test'], build, lint: { stage: 'test', script: ['lint'], needs: ['build', null] } },
    message: 'jobs:lint:needs:need has an unsupported type',
  },
  {
    name: 'three cache:key:files',
    ci: { stages: ['build', 'test'], build: { ...build, cache: { key: { files: ['a.lock', 'b.lock', 'c.lock'] }, paths: ['vendor/'] } } },
    message: 'jobs:build:cache:key:files config has too many items (maximum is 2)',
  },
];

const runs = cases.flatMap((entry) =>
  (['inject_policy', 'override_project_ci'] as const).flatMap((strategy) =>
    [[], ['--fail-open']].map((flags) => ({ ...entry, strategy, flags, label: flags.length === 0 ? 'fail closed' : '--fail-open' })),
  ),
);

describe('configurations GitLab rejects fail closed at compose', () => {
  // One process per case, so no test waits on several under load.
  it.each(runs)('$name ($strategy, $label): one message in GitLab wording, no pipeline', async ({ ci, message, strategy, flags }) => {
    const run = await composeProcess(workspace(ci, strategy), { project: 'shop/web', policyProjects: ['sec/policies'], flags });
    expect(run.code, `${strategy} ${flags.join(' ')}\n${run.stderr}`).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/^policy-sidecar: \S+\.gitlab-ci\.yml:\d+:\d+: /);
    expect(run.stderr).not.toContain('WITHOUT policies');
    expect(run.main).toBeUndefined();
    expect(run.pre).toBeUndefined();
  });

  it('the same project with the mistake fixed composes with its policy', async () => {
    const run = await composeProcess(workspace({ stages: ['build', 'test'], build, lint: { stage: 'test', script: ['lint'], needs: ['build'] } }, 'inject_policy'), {
      project: 'shop/web',
      policyProjects: ['sec/policies'],
    });
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.pre ?? ''}${run.main ?? ''}`).toMatch(/^gate:/m);
  });
});
