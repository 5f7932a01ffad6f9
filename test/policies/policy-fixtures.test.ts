/**
 * Schema and semantic problems, with exact places: one folder per case under
 * test/fixtures/policies/ (shared with test/cli/validate-policies.test.ts, which owns the
 * goldens). Here the problems come straight from findPolicyProblems, and validatePolicyFile must
 * agree: it throws for the first error (same code and place) or returns the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { formatPolicyProblem } from '../../src/policies/policy-problem.js';
import { findPolicyProblems, POLICY_FILE_PATH, validatePolicyFile } from '../../src/policies/validate-policy-file.js';

const fixtures = join(import.meta.dirname, '../fixtures/policies');

describe('policy file problems', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const dir = join(fixtures, name);
      const text = readFileSync(join(dir, POLICY_FILE_PATH), 'utf8');
      const expected = readFileSync(join(dir, 'expected.txt'), 'utf8')
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('exit ') && line !== `${POLICY_FILE_PATH}: valid`);
      const problems = findPolicyProblems(text, POLICY_FILE_PATH);
      expect(problems.map(formatPolicyProblem)).toEqual(expected);

      const [firstError] = problems.filter((problem) => problem.severity === 'error');
      const project = { path: 'security/policies', id: 900 };
      if (firstError === undefined) {
        expect(validatePolicyFile(text, POLICY_FILE_PATH, project).policies.length).toBeGreaterThan(0);
        return;
      }
      let thrown: unknown;
      try {
        validatePolicyFile(text, POLICY_FILE_PATH, project);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PolicyError);
      expect(thrown).toMatchObject({ code: firstError.code, message: firstError.message, location: firstError.location });
    });
  }
});

describe('mapping a valid file', () => {
  it('reads every field of a pipeline execution policy, with GitLab’s defaults', () => {
    const text = readFileSync(join(fixtures, 'valid-every-policy-type', POLICY_FILE_PATH), 'utf8');
    const file = validatePolicyFile(text, POLICY_FILE_PATH, { path: 'security/policies', id: 900 });
    const [first, second] = file.policies;
    expect(first).toMatchObject({ index: 0, location: { file: POLICY_FILE_PATH, line: 3, column: 5 } });
    expect(first?.policy).toEqual({
      type: 'pipeline_execution_policy',
      name: 'Pre and post checks',
      description: 'Runs around every pipeline.',
      enabled: true,
      content: { project: 'security/policies', file: 'ci/checks.yaml', ref: 'main' },
      strategy: 'inject_policy',
      applyOnEmptyPipeline: 'always',
      suffix: 'never',
      skipCi: { allowed: false, allowlistUsers: [75] },
      variablesOverride: { allowed: true, exceptions: ['SECRET_DETECTION_DISABLED'] },
      policyScope: {
        complianceFrameworks: [3],
        projects: { including: [], excluding: [456], excludingKinds: ['archived'] },
        groups: { including: [10], excluding: [] },
      },
    });
    expect(second?.policy).toMatchObject({ enabled: false, strategy: 'inject_ci', suffix: 'on_conflict', skipCi: undefined, variablesOverride: undefined });
    expect(file.experiments).toEqual({ ensure_pipeline_policy_pre_succeeds: true });
    expect(file.policies.map((loaded) => `${loaded.policy.type}[${loaded.index}]`)).toEqual([
      'pipeline_execution_policy[0]', 'pipeline_execution_policy[1]', 'pipeline_execution_schedule_policy[0]',
      'scan_execution_policy[0]', 'approval_policy[0]', 'scan_result_policy[0]', 'vulnerability_management_policy[0]',
      'ci_component_publishing_policy[0]',
    ]);
    const scan = file.policies.find((loaded) => loaded.policy.type === 'scan_execution_policy');
    expect(scan?.policy).toMatchObject({ name: 'Scans', enabled: true, policyScope: undefined });
  });

  it('reads the mapping form of pipeline_config_strategy, defaulting type to inject_policy', () => {
    const text = 'pipeline_execution_policy:\n  - name: A\n    enabled: true\n    pipeline_config_strategy: {apply_on_empty_pipeline: never}\n    content: {include: [{project: p, file: a.yml}]}\n';
    const [loaded] = validatePolicyFile(text, 'p.yml', { path: 'p', id: 1 }).policies;
    expect(loaded?.policy).toMatchObject({ strategy: 'inject_policy', applyOnEmptyPipeline: 'never' });
  });
});
