import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateRules, INCLUDE_RULES, findMatchingRule, type JobWhen, type RuleOutcome } from '../../../src/ci/rules/index.js';
import type { CiValue } from '../../../src/ci/value.js';
import { fakeFacts } from './fake-facts.js';
import { FILE, parseYaml } from './yaml.js';

const push = { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' };
const mergeRequest = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7', CI_DEFAULT_BRANCH: 'main' };

function rulesOf(yaml: string): CiValue {
  const job = parseYaml(yaml).job;
  if (typeof job !== 'object' || job === null || Array.isArray(job) || !('rules' in job)) throw new Error('no job.rules');
  return job.rules as CiValue;
}

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly variables: Record<string, string>;
  readonly changed?: readonly string[] | undefined;
  readonly files?: Record<string, readonly string[]>;
  readonly jobWhen?: JobWhen;
  readonly expected: Partial<RuleOutcome>;
}

// Cases from docs ci/jobs/job_rules.md and ci/yaml/_index.md#rules.
const outcomes: Case[] = [
  {
    name: 'merge request pipelines get a manual job that may fail',
    yaml: 'job:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      when: manual\n      allow_failure: true\n',
    variables: mergeRequest,
    expected: { matchedIndex: 0, when: 'manual', allowFailure: true, reason: 'rule 1 matched (if: $CI_PIPELINE_SOURCE == "merge_request_event")' },
  },
  {
    name: 'no rule matched means when: never',
    yaml: 'job:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n',
    variables: push,
    expected: { matchedIndex: undefined, when: 'never', reason: 'no rule matched' },
  },
  {
    name: 'a schedule rule with when: never excludes the job',
    yaml: 'job:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n      when: never\n    - when: on_success\n',
    variables: { CI_PIPELINE_SOURCE: 'schedule' },
    expected: { matchedIndex: 0, when: 'never' },
  },
  {
    name: 'a rule without clauses always matches',
    yaml: 'job:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "schedule"\n      when: never\n    - when: on_success\n',
    variables: push,
    expected: { matchedIndex: 1, when: 'on_success', reason: 'rule 2 matched (no conditions)' },
  },
  {
    name: "a matching rule without when takes the job's when",
    yaml: 'job:\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n',
    variables: push,
    jobWhen: 'manual',
    expected: { matchedIndex: 0, when: 'manual' },
  },
  {
    name: 'the job when defaults to on_success',
    yaml: 'job:\n  rules:\n    - if: $CI_COMMIT_BRANCH\n',
    variables: push,
    expected: { when: 'on_success' },
  },
  {
    name: 'delayed rule keeps start_in',
    yaml: "job:\n  rules:\n    - if: $CI_COMMIT_BRANCH\n      when: delayed\n      start_in: '3 hours'\n",
    variables: push,
    expected: { when: 'delayed', startIn: '3 hours' },
  },
  {
    name: 'rules:variables of the matching rule',
    yaml: 'job:\n  rules:\n    - if: $CI_COMMIT_BRANCH == "dev"\n      variables: { DEPLOY: dev }\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n      variables:\n        DEPLOY_VARIABLE: "deploy-production"\n        REPLICAS: 3\n',
    variables: push,
    expected: { matchedIndex: 1, variables: { DEPLOY_VARIABLE: 'deploy-production', REPLICAS: '3' } },
  },
  {
    name: 'rules:needs and rules:interruptible',
    yaml: 'job:\n  rules:\n    - if: $CI_COMMIT_BRANCH\n      needs: [build-dev]\n      interruptible: false\n',
    variables: push,
    expected: { needs: ['build-dev'], interruptible: false },
  },
  {
    name: 'if and changes must both hold',
    yaml: 'job:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      changes: [Dockerfile]\n',
    variables: mergeRequest,
    changed: ['README.md'],
    expected: { when: 'never' },
  },
  {
    name: 'changes matches a changed file',
    yaml: 'job:\n  rules:\n    - changes: [Dockerfile, "docs/**/*.md"]\n',
    variables: push,
    changed: ['docs/a/b.md'],
    expected: { matchedIndex: 0, reason: 'rule 1 matched (changes: Dockerfile, docs/**/*.md)' },
  },
  {
    name: 'unknown changes (new branch, tag) count as changed',
    yaml: 'job:\n  rules:\n    - changes: [Dockerfile]\n',
    variables: push,
    changed: undefined,
    expected: { matchedIndex: 0 },
  },
  {
    name: 'no changed files means changes does not hold',
    yaml: 'job:\n  rules:\n    - changes: [Dockerfile]\n',
    variables: push,
    changed: [],
    expected: { when: 'never' },
  },
  {
    name: 'changes paths expand variables',
    yaml: 'job:\n  rules:\n    - changes:\n        - $DOCKERFILES_DIR/**/*\n',
    variables: { ...push, DOCKERFILES_DIR: 'dockerfiles' },
    changed: ['dockerfiles/app/Dockerfile'],
    expected: { matchedIndex: 0 },
  },
  {
    name: 'exists finds a file',
    yaml: 'job:\n  rules:\n    - exists: [Dockerfile]\n',
    variables: push,
    files: { '': ['Dockerfile', 'src/a.ts'] },
    expected: { matchedIndex: 0 },
  },
  {
    name: 'exists as a single string',
    yaml: 'job:\n  rules:\n    - exists: Dockerfile\n',
    variables: push,
    files: { '': ['README.md'] },
    expected: { when: 'never' },
  },
  {
    name: 'exists with an extension glob',
    yaml: 'job:\n  rules:\n    - exists: ["**/*.js"]\n',
    variables: push,
    files: { '': ['web/app.js'] },
    expected: { matchedIndex: 0 },
  },
  {
    name: 'exists in another project',
    yaml: 'job:\n  rules:\n    - exists:\n        paths: [Dockerfile]\n        project: $OTHER_PROJECT\n        ref: main\n',
    variables: { ...push, OTHER_PROJECT: 'acme/images' },
    files: { 'acme/images': ['Dockerfile'] },
    expected: { matchedIndex: 0 },
  },
  {
    name: 'nested arrays from !reference are flattened',
    yaml: 'job:\n  rules:\n    - [{ if: $NOPE }, { if: $NOPE2 }]\n    - if: $CI_COMMIT_BRANCH\n',
    variables: push,
    expected: { matchedIndex: 2 },
  },
];

describe('evaluateRules outcomes', () => {
  it.each(outcomes)('$name', async ({ yaml, variables, changed, files, jobWhen, expected }) => {
    const outcome = await evaluateRules(rulesOf(yaml), { variables, facts: fakeFacts(changed, files), file: FILE }, jobWhen);
    expect(outcome).toMatchObject(expected);
  });

  it('passes compare_to, expanded, to the facts', async () => {
    const facts = fakeFacts(['Dockerfile']);
    const rules = rulesOf('job:\n  rules:\n    - changes:\n        paths: [Dockerfile]\n        compare_to: refs/heads/$BASE\n');
    const outcome = await evaluateRules(rules, { variables: { BASE: 'main' }, facts, file: FILE });
    expect(outcome.matchedIndex).toBe(0);
    expect(facts.compareToCalls).toEqual(['refs/heads/main']);
  });

  it('include rules allow only if, exists, changes and when', async () => {
    const rules = rulesOf('job:\n  rules:\n    - if: $A\n      when: manual\n');
    await expect(findMatchingRule(rules, { variables: {}, facts: fakeFacts([]), file: FILE }, INCLUDE_RULES)).rejects.toThrow(
      'rules:rule when unknown value: manual',
    );
  });
});

interface ErrorCase {
  readonly name: string;
  readonly yaml: string;
  readonly code: string;
  readonly message: string;
  readonly line: number;
}

const errors: ErrorCase[] = [
  { name: 'rules must be an array', yaml: 'job:\n  rules:\n    if: $A\n', code: 'rules-config', message: 'jobs:job:rules config should be an array', line: 3 },
  { name: 'rules must not be empty', yaml: 'job:\n  rules: []\n', code: 'rules-config', message: "jobs:job:rules config can't be blank", line: 2 },
  { name: 'a rule must be a hash', yaml: 'job:\n  rules:\n    - $A\n', code: 'rules-config', message: 'jobs:job:rules:rule config should be a hash', line: 1 },
  { name: 'unknown keys', yaml: 'job:\n  rules:\n    - if: $A\n      foo: bar\n', code: 'rules-config', message: 'jobs:job:rules:rule config contains unknown keys: foo', line: 4 },
  { name: 'invalid if', yaml: 'job:\n  rules:\n    - if: $A = 1\n', code: 'expression-syntax', message: 'jobs:job:rules:rule if invalid expression syntax', line: 3 },
  { name: 'if that is not a string', yaml: 'job:\n  rules:\n    - if: 1\n', code: 'expression-syntax', message: 'jobs:job:rules:rule if invalid expression syntax', line: 3 },
  { name: 'unknown when', yaml: 'job:\n  rules:\n    - when: sometimes\n', code: 'rules-config', message: 'jobs:job:rules:rule when unknown value: sometimes', line: 3 },
  { name: 'start_in without delayed', yaml: 'job:\n  rules:\n    - start_in: 1 hour\n', code: 'rules-config', message: 'jobs:job:rules:rule config contains disallowed keys: start_in', line: 3 },
  { name: 'delayed without start_in', yaml: 'job:\n  rules:\n    - when: delayed\n', code: 'rules-config', message: "jobs:job:rules:rule start_in can't be blank", line: 3 },
  { name: 'start_in over a week', yaml: 'job:\n  rules:\n    - when: delayed\n      start_in: 2 weeks\n', code: 'rules-config', message: 'jobs:job:rules:rule start_in should not exceed the limit', line: 4 },
  { name: 'start_in not a duration', yaml: 'job:\n  rules:\n    - when: delayed\n      start_in: soon\n', code: 'rules-config', message: 'jobs:job:rules:rule start_in should be a duration', line: 4 },
  { name: 'allow_failure exit codes are not for rules', yaml: 'job:\n  rules:\n    - allow_failure: { exit_codes: 1 }\n', code: 'rules-config', message: 'jobs:job:rules:rule allow_failure should be a boolean value', line: 3 },
  { name: 'interruptible must be a boolean', yaml: 'job:\n  rules:\n    - interruptible: "yes"\n', code: 'rules-config', message: 'jobs:job:rules:rule interruptible should be a boolean value', line: 3 },
  { name: 'changes must be an array or a hash', yaml: 'job:\n  rules:\n    - changes: Dockerfile\n', code: 'rules-config', message: 'jobs:job:rules:rule:changes should be an array or a hash', line: 3 },
  { name: 'changes paths are strings', yaml: 'job:\n  rules:\n    - changes: [1]\n', code: 'rules-config', message: 'jobs:job:rules:rule:changes config should be an array of strings', line: 3 },
  { name: 'changes has at most 50 paths', yaml: `job:\n  rules:\n    - changes: [${Array.from({ length: 51 }, (_, i) => `f${i}`).join(', ')}]\n`, code: 'rules-config', message: 'jobs:job:rules:rule:changes config has too many entries (maximum 50)', line: 3 },
  { name: 'changes hash needs paths', yaml: 'job:\n  rules:\n    - changes:\n        compare_to: main\n', code: 'rules-config', message: 'jobs:job:rules:rule:changes config missing required keys: paths', line: 4 },
  { name: 'changes hash unknown keys', yaml: 'job:\n  rules:\n    - changes:\n        paths: [a]\n        glob: b\n', code: 'rules-config', message: 'jobs:job:rules:rule:changes config contains unknown keys: glob', line: 5 },
  { name: 'exists ref needs project', yaml: 'job:\n  rules:\n    - exists:\n        paths: [a]\n        ref: main\n', code: 'rules-config', message: 'jobs:job:rules:rule:exists config missing required keys: project', line: 4 },
  { name: 'exists must be a string, array or hash', yaml: 'job:\n  rules:\n    - exists: 3\n', code: 'rules-config', message: 'jobs:job:rules:rule:exists should be a string, an array of strings, or a hash', line: 3 },
  { name: 'rule variables are strings', yaml: 'job:\n  rules:\n    - variables:\n        A: { value: x }\n', code: 'rules-config', message: 'jobs:job:rules:rule:variables:A config must be a string', line: 4 },
  { name: 'rule variables are not booleans', yaml: 'job:\n  rules:\n    - variables:\n        A: true\n', code: 'rules-config', message: 'jobs:job:rules:rule:variables:A variable definition must be either a string or a hash', line: 4 },
];

describe('evaluateRules rejects invalid rules with GitLab messages', () => {
  it.each(errors)('$name', async ({ yaml, code, message, line }) => {
    const rules = rulesOf(yaml);
    const scope = { variables: {}, facts: fakeFacts([]), file: FILE, path: 'jobs:job' };
    const error = await evaluateRules(rules, scope).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect({ code: configError.code, message: configError.message, file: configError.location?.file }).toEqual({ code, message, file: FILE });
    if (line > 1) expect(configError.location?.line).toBe(line);
  });
});
