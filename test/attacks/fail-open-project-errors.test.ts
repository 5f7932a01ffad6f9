/**
 * Attacks on `--fail-open` (component input `fail_open: true`) by a project Developer or
 * Maintainer: an error their own configuration causes while policies apply must not drop the
 * policies (issue #10 item 6). Only policy-side failures fall open: an unreadable or invalid
 * policy project, policy file or policy CI file (fail-open.ts). Each case runs the real CLI
 * process; a composition that fails writes no pipeline, so `policy:pipeline` has nothing to run.
 */
import { describe, expect, it } from 'vitest';
import { pep, type WorkspaceFiles } from '../helpers/temp-workspace.js';
import { composeProcess } from './real-cli.js';

function workspace(projectCi: unknown, policies: readonly Record<string, unknown>[], policyFiles: WorkspaceFiles, extra: WorkspaceFiles = {}): WorkspaceFiles {
  return {
    'workspace.yml': { projects: { 'shop/web': { id: 41, groups: [7] }, 'sec/policies': { id: 900 } } },
    'shop/web/.gitlab-ci.yml': projectCi,
    'sec/policies/.gitlab/security-policies/policy.yml': { pipeline_execution_policy: policies },
    ...Object.fromEntries(Object.entries(policyFiles).map(([path, content]) => [`sec/policies/${path}`, content])),
    ...extra,
  };
}

/** 150 local includes: the project alone is within GitLab's limit; under a policy that includes it, one over. */
function manyIncludes(): WorkspaceFiles {
  const files: Record<string, unknown> = {
    'shop/web/.gitlab-ci.yml': {
      include: Array.from({ length: 150 }, (_, index) => ({ local: `ci/part-${String(index)}.yml` })),
      build: { stage: 'build', script: ['make'] },
    },
  };
  for (let index = 0; index < 150; index += 1) files[`shop/web/ci/part-${String(index)}.yml`] = { [`part-${String(index)}`]: { stage: 'test', script: ['true'] } };
  return files;
}

const cases: readonly { name: string; files: WorkspaceFiles; message: RegExp }[] = [
  {
    name: "stages [deploy, test] against a policy's order",
    files: workspace(
      { stages: ['deploy', 'test'], build: { stage: 'test', script: ['make'] } },
      [pep('Gate', 'ci/gate.yml')],
      { 'ci/gate.yml': { stages: ['test', 'deploy'], scan: { stage: 'test', script: ['scan'] }, publish: { stage: 'deploy', script: ['publish'] } } },
    ),
    message: /Cyclic dependencies detected when enforcing policies/,
  },
  {
    name: 'a project job named like the suffixed policy job (lint:policy-900-0)',
    files: workspace(
      { lint: { stage: 'test', script: ['make lint'] }, 'lint:policy-900-0': { stage: 'test', script: ['true'] } },
      [pep('Gate', 'ci/gate.yml')],
      { 'ci/gate.yml': { lint: { stage: 'test', script: ['policy lint'] } } },
    ),
    message: /job names must be unique \(lint:policy-900-0\)/,
  },
  {
    name: 'more includes than an override_project_ci policy that includes the project can take',
    files: {
      ...workspace(undefined, [pep('Override', 'ci/override.yml', { pipeline_config_strategy: 'override_project_ci' })], {
        'ci/override.yml': { include: [{ project: '$CI_PROJECT_PATH', file: '$CI_CONFIG_PATH' }], gate: { stage: 'test', script: ['check'] } },
      }),
      ...manyIncludes(),
    },
    message: /Maximum of 150 nested includes are allowed!/,
  },
];

describe('--fail-open does not excuse errors the project causes', () => {
  it.each(cases)('$name: fails closed, with or without --fail-open', async ({ files, message }) => {
    for (const flags of [[], ['--fail-open']]) {
      const run = await composeProcess(files, { project: 'shop/web', policyProjects: ['sec/policies'], flags });
      expect(run.code, `${flags.join(' ')}\n${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('WITHOUT policies');
      expect(run.main).toBeUndefined();
      expect(run.pre).toBeUndefined();
    }
  });

  it('the project alone composes (so failing open would have run it without its policies)', async () => {
    for (const { files } of cases) {
      const alone = await composeProcess(files, { project: 'shop/web', policyProjects: [], flags: ['--allow-no-policies'] });
      expect(alone.code, alone.stderr).toBe(0);
    }
  });

  it('a policy-side failure still fails open when asked: an invalid policy file, a missing policy CI file', async () => {
    const invalid = workspace({ build: { script: ['make'] } }, [{ name: 'Gate', enabled: 'yes please' }], {});
    const missingCi = workspace({ build: { script: ['make'] } }, [pep('Gate', 'ci/absent.yml')], {});
    for (const files of [invalid, missingCi]) {
      const run = await composeProcess(files, { project: 'shop/web', policyProjects: ['sec/policies'], flags: ['--fail-open'] });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('WARNING: composing WITHOUT policies');
      expect(run.report?.policyFailure).not.toBeNull();
    }
  });
});
