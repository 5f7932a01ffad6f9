/**
 * The stage merges against every row of GitLab's spec table and the docs examples
 * (gitlab-pep-sep.md §3.2). Lists are declared stages; the helper wraps them as GitLab does.
 */
import { describe, expect, it } from 'vitest';
import { mergeInjectStages, mergeOverrideStages, wrapReservedStages } from '../../../src/compose/pep/index.js';
import { PolicyError } from '../../../src/errors.js';
import { caughtPolicyError as caught, wrapped } from './builders.js';

const DEFAULTS = ['build', 'test', 'deploy'];
const CYCLE_MESSAGE =
  'Pipeline execution policy error: Cyclic dependencies detected when enforcing policies. Ensure stages across the project and policies are aligned.';

interface InjectRow {
  readonly name: string;
  readonly project: readonly string[];
  readonly policies: readonly (readonly string[])[];
  /** The merged declared stages, or 'cycle'. */
  readonly expected: readonly string[] | 'cycle';
  /** The docs show only stages that have jobs: those are `jobsIn`, and `visible` is what shows. */
  readonly visible?: { readonly jobsIn: readonly string[]; readonly stages: readonly string[] };
}

const injectRows: readonly InjectRow[] = [
  { name: 'a lone policy stage goes last', project: DEFAULTS, policies: [['policy-test']], expected: [...DEFAULTS, 'policy-test'] },
  { name: 'a stage before test lands before test', project: DEFAULTS, policies: [['policy-test', 'test']], expected: ['build', 'policy-test', 'test', 'deploy'] },
  { name: 'a stage after build only goes last', project: DEFAULTS, policies: [['build', 'policy-test']], expected: [...DEFAULTS, 'policy-test'] },
  { name: 'a stage before build goes first', project: DEFAULTS, policies: [['policy-test', 'build', 'test']], expected: ['policy-test', ...DEFAULTS] },
  {
    name: 'unknown project stages keep their place before the policy list',
    project: ['compile', 'check', 'publish'],
    policies: [['build', 'test', 'policy-test', 'deploy']],
    expected: ['compile', 'check', 'publish', 'build', 'test', 'policy-test', 'deploy'],
  },
  {
    name: 'two policies each place their own stage',
    project: DEFAULTS,
    policies: [['build', 'policy-build', 'test'], ['build', 'test', 'policy-test', 'deploy']],
    expected: ['build', 'policy-build', 'test', 'policy-test', 'deploy'],
  },
  {
    name: 'two lone policy stages go last in application order',
    project: DEFAULTS,
    policies: [['policy1-test'], ['policy2-test']],
    expected: [...DEFAULTS, 'policy1-test', 'policy2-test'],
  },
  { name: 'two policies with opposite orders are a cycle', project: DEFAULTS, policies: [['test', 'deploy'], ['deploy', 'test']], expected: 'cycle' },
  {
    name: 'a project order against the policy order is a cycle',
    project: ['deploy', 'build', 'test'],
    policies: [['build', 'test', 'policy-test', 'deploy']],
    expected: 'cycle',
  },
  {
    name: 'docs: policy-stage between test and deploy',
    project: DEFAULTS,
    policies: [['test', 'policy-stage', 'deploy']],
    expected: ['build', 'test', 'policy-stage', 'deploy'],
  },
  { name: 'docs: project deploy before test is a cycle', project: ['build', 'deploy', 'test'], policies: [['test', 'policy-stage', 'deploy']], expected: 'cycle' },
  {
    name: 'docs: project with only build',
    project: ['build'],
    policies: [['test', 'policy-stage', 'deploy']],
    expected: ['build', 'test', 'policy-stage', 'deploy'],
    visible: { jobsIn: ['build', 'policy-stage'], stages: ['build', 'policy-stage'] },
  },
  {
    name: 'docs: policy-stage before deploy in a project that deploys before testing',
    project: ['build', 'deploy', 'test'],
    policies: [['policy-stage', 'deploy']],
    expected: ['build', 'policy-stage', 'deploy', 'test'],
  },
  {
    name: 'docs: a policy listing many stages a project may use',
    project: ['check', 'publish'],
    policies: [['check', 'lint', 'test', 'policy-stage', 'deploy', 'verify', 'publish']],
    expected: ['check', 'lint', 'test', 'policy-stage', 'deploy', 'verify', 'publish'],
    visible: { jobsIn: ['check', 'policy-stage', 'publish'], stages: ['check', 'policy-stage', 'publish'] },
  },
  { name: 'docs: a policy without stages brings build, test, deploy', project: ['test', 'build', 'deploy'], policies: [DEFAULTS], expected: 'cycle' },
];

describe('mergeInjectStages: GitLab spec table and docs examples', () => {
  it.each(injectRows)('$name', (row) => {
    const run = () =>
      mergeInjectStages(
        wrapped(row.project),
        row.policies.map((stages, index) => ({ name: `policy ${index}`, stages: wrapped(stages) })),
      );
    if (row.expected === 'cycle') {
      expect(run).toThrow(PolicyError);
      expect(run).toThrow(CYCLE_MESSAGE);
      expect(caught(run).code).toBe('pep-stage-cycle');
      return;
    }
    const merged = run();
    expect(merged).toEqual(wrapped(row.expected));
    if (row.visible !== undefined) {
      const jobsIn = new Set(row.visible.jobsIn);
      expect(merged.filter((stage) => jobsIn.has(stage))).toEqual(row.visible.stages);
    }
  });

  it('names the cycle and the declared lists in the hint', () => {
    const error = caught(() => mergeInjectStages(wrapped(['build', 'deploy', 'test']), [{ name: 'scan', stages: wrapped(['test', 'policy-stage', 'deploy']) }]));
    expect(error.hint).toContain('deploy → test → deploy');
    expect(error.hint).toContain('policy "scan": test, policy-stage, deploy');
  });

  it('treats a stage listed twice in one list as a self-dependency', () => {
    expect(caught(() => mergeInjectStages(wrapped(DEFAULTS), [{ name: 'p', stages: ['a', 'b', 'a'] }])).code).toBe('pep-stage-cycle');
  });

  it('returns the project list when no policy adds stages', () => {
    expect(mergeInjectStages(wrapped(DEFAULTS), [])).toEqual(wrapped(DEFAULTS));
  });
});

describe('mergeOverrideStages', () => {
  const policies = (...lists: (readonly string[])[]) => lists.map((stages, index) => ({ name: `override ${index}`, stages: wrapped(stages) }));

  it.each([
    { name: 'an ordered subset after the longest list', lists: [['build', 'test', 'policy-test', 'deploy'], ['test', 'deploy']], expected: ['build', 'test', 'policy-test', 'deploy'] },
    { name: 'the longest list after an ordered subset', lists: [['test', 'deploy'], ['build', 'test', 'policy-test', 'deploy']], expected: ['build', 'test', 'policy-test', 'deploy'] },
    { name: 'identical lists', lists: [DEFAULTS, DEFAULTS], expected: DEFAULTS },
    { name: 'one list', lists: [['lint', 'scan']], expected: ['lint', 'scan'] },
  ])('keeps the longest list: $name', ({ lists, expected }) => {
    expect(mergeOverrideStages(policies(...lists))).toEqual(wrapped(expected));
  });

  it.each([
    { name: 'the opposite order', lists: [['build', 'test', 'policy-test', 'deploy'], ['deploy', 'test']], kept: 'build, test, policy-test, deploy' },
    { name: 'each list has a stage the other lacks', lists: [['build', 'test'], ['build', 'scan']], kept: 'build, test' },
    { name: 'a longer incompatible list', lists: [['build', 'test'], ['scan', 'build', 'deploy']], kept: 'build, test' },
  ])('rejects $name', ({ lists, kept }) => {
    const error = caught(() => mergeOverrideStages(policies(...lists)));
    expect(error.code).toBe('pep-override-stages');
    expect(error.message).toBe(
      `Pipeline execution policy error: Policy \`override 1\` could not be applied. Its stages are incompatible with stages of another \`override_project_ci\` policy: ${kept}.`,
    );
  });

  it('gives the default stages when no override policy is left', () => {
    expect(mergeOverrideStages([])).toEqual(wrapped(DEFAULTS));
  });
});

describe('wrapReservedStages', () => {
  it('moves user copies of the reserved stages to the edges and is idempotent', () => {
    const once = wrapReservedStages(['.pre', '.pipeline-policy-post', 'build', '.post']);
    expect(once).toEqual(['.pipeline-policy-pre', '.pre', 'build', '.post', '.pipeline-policy-post']);
    expect(wrapReservedStages(once)).toEqual(once);
  });
});
