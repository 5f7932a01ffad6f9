import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateOnlyExcept, type OnlyExceptScope } from '../../../src/ci/rules/index.js';
import type { CiMap } from '../../../src/ci/value.js';
import { fakeFacts } from './fake-facts.js';
import { FILE, parseYaml } from './yaml.js';

interface Pipeline {
  readonly source: string;
  readonly ref: string;
  readonly isTag?: boolean;
  readonly variables?: Record<string, string>;
  readonly changed?: readonly string[] | undefined;
  readonly projectPath?: string;
  readonly hasWorkflowRules?: boolean;
  readonly kubernetesActive?: boolean;
}

function scopeFor(pipeline: Pipeline): OnlyExceptScope {
  return {
    variables: pipeline.variables ?? {},
    facts: fakeFacts('changed' in pipeline ? pipeline.changed : []),
    file: FILE,
    path: 'jobs:job',
    source: pipeline.source,
    ref: pipeline.ref,
    isTag: pipeline.isTag ?? false,
    projectPath: pipeline.projectPath ?? 'acme/web',
    hasWorkflowRules: pipeline.hasWorkflowRules,
    kubernetesActive: pipeline.kubernetesActive,
  };
}

function jobOf(yaml: string): CiMap {
  return parseYaml(`job:\n  script: [echo]\n${yaml}`).job as CiMap;
}

const branchPush: Pipeline = { source: 'push', ref: 'main' };
const mergeRequest: Pipeline = { source: 'merge_request_event', ref: 'feature/x' };
const tag: Pipeline = { source: 'push', ref: 'v1.0', isTag: true };

// docs ci/yaml/deprecated_keywords.md (only / except) and Build::Policy::Refs.
const cases: [string, string, Pipeline, boolean][] = [
  ['no only/except: branch pipelines', '', branchPush, true],
  ['no only/except: tag pipelines', '', tag, true],
  ['no only/except: not merge request pipelines', '', mergeRequest, false],
  ['no only/except with workflow:rules: merge request pipelines too', '', { ...mergeRequest, hasWorkflowRules: true }, true],
  ['only a branch name', '  only: [main]\n', branchPush, true],
  ['only a branch name, other branch', '  only: [main]\n', { source: 'push', ref: 'dev' }, false],
  ['only a regex', '  only: [/^release-.*$/]\n', { source: 'push', ref: 'release-1.2' }, true],
  ['only a case-insensitive regex', '  only: [/^RELEASE-/i]\n', { source: 'push', ref: 'release-1.2' }, true],
  ['regexes are not matched in merge request pipelines', '  only: [/^feature/]\n', mergeRequest, false],
  ['only merge_requests', '  only: [merge_requests]\n', mergeRequest, true],
  ['only merge_requests, push', '  only: [merge_requests]\n', branchPush, false],
  ['only pushes', '  only: [pushes]\n', branchPush, true],
  ['only schedules', '  only: [schedules]\n', { source: 'schedule', ref: 'main' }, true],
  ['only web', '  only: [web]\n', { source: 'web', ref: 'main' }, true],
  ['only api', '  only: [api]\n', { source: 'api', ref: 'main' }, true],
  ['only triggers', '  only: [triggers]\n', { source: 'trigger', ref: 'main' }, true],
  ['only pipelines', '  only: [pipelines]\n', { source: 'pipeline', ref: 'main' }, true],
  ['only chat', '  only: [chat]\n', { source: 'chat', ref: 'main' }, true],
  ['only external', '  only: [external]\n', { source: 'external', ref: 'main' }, true],
  ['only external_pull_requests', '  only: [external_pull_requests]\n', { source: 'external_pull_request_event', ref: 'main' }, true],
  ['external pull requests count as merge_requests', '  only: [merge_requests]\n', { source: 'external_pull_request_event', ref: 'main' }, true],
  ['only tags', '  only: [tags]\n', branchPush, false],
  ['only branches in this project', '  only: [branches@acme/web]\n', branchPush, true],
  ['only branches in another project', '  only: [branches@acme/web]\n', { ...branchPush, projectPath: 'someone/fork' }, false],
  ['except main', '  except: [main]\n', branchPush, false],
  ['except main, on dev', '  except: [main]\n', { source: 'push', ref: 'dev' }, true],
  ['except keeps the default only', '  except: [main]\n', { ...mergeRequest, ref: 'dev' }, false],
  ['only variables still needs branches or tags', '  only:\n    variables: [$RELEASE == "staging"]\n', { ...mergeRequest, variables: { RELEASE: 'staging' } }, false],
  ['only variables on a branch', '  only:\n    variables: [$RELEASE == "staging"]\n', { ...branchPush, variables: { RELEASE: 'staging' } }, true],
  ['only variables, any of them', '  only:\n    variables: [$A, $RELEASE == "staging"]\n', { ...branchPush, variables: { RELEASE: 'staging' } }, true],
  ['only variables that fail', '  only:\n    variables: [$RELEASE == "staging"]\n', branchPush, false],
  ['only refs and changes', '  only:\n    refs: [merge_requests]\n    changes: ["*.md"]\n', { ...mergeRequest, changed: ['README.md'] }, true],
  ['only changes without a match', '  only:\n    refs: [merge_requests]\n    changes: ["*.md"]\n', { ...mergeRequest, changed: ['src/a.ts'] }, false],
  ['only changes when changes are unknown', '  only:\n    changes: ["*.md"]\n', { ...tag, changed: undefined }, true],
  ['except variables', '  except:\n    variables: [$SKIP]\n', { ...branchPush, variables: { SKIP: '1' } }, false],
  ['except refs or variables: any one excludes', '  except:\n    refs: [dev]\n    variables: [$SKIP]\n', { ...branchPush, variables: { SKIP: '1' } }, false],
  ['only kubernetes: active without kubernetes', '  only:\n    kubernetes: active\n', branchPush, false],
  ['only kubernetes: active with kubernetes', '  only:\n    kubernetes: active\n', { ...branchPush, kubernetesActive: true }, true],
];

describe('evaluateOnlyExcept', () => {
  it.each(cases)('%s', async (_name, yaml, pipeline, included) => {
    const outcome = await evaluateOnlyExcept(jobOf(yaml), scopeFor(pipeline));
    expect(outcome.included).toBe(included);
  });

  it('says why a job is left out', async () => {
    expect(await evaluateOnlyExcept(jobOf(''), scopeFor(mergeRequest))).toEqual({ included: false, reason: 'only:refs did not match' });
    expect(await evaluateOnlyExcept(jobOf('  except: [main]\n'), scopeFor(branchPush))).toEqual({ included: false, reason: 'except:refs matched' });
  });

  const errors: [string, string, string, string, number][] = [
    ['rules with only', '  rules: [{ when: always }]\n  only: [main]\n', 'rules-with-only-except', 'jobs:job config key may not be used with `rules`: only', 4],
    ['rules with only and except', '  rules: [{ when: always }]\n  only: [main]\n  except: [dev]\n', 'rules-with-only-except', 'jobs:job config key may not be used with `rules`: only, except', 4],
    ['only as a string', '  only: main\n', 'rules-config', 'jobs:job:only has to be either an array of conditions or a hash', 3],
    ['only with unknown keys', '  only:\n    branches: [main]\n', 'rules-config', 'jobs:job:only config contains unknown keys: branches', 4],
    ['only with an invalid expression', '  only:\n    variables: [$A = 1]\n', 'expression-syntax', 'jobs:job:only variables invalid expression syntax', 4],
    ['only with a regex RE2 rejects', '  only: ["/(?=a)b/"]\n', 'rules-config', 'jobs:job:only config should be an array of strings or regular expressions using re2 syntax', 3],
    ['except with an unknown kubernetes value', '  except:\n    kubernetes: inactive\n', 'rules-config', 'jobs:job:except kubernetes unknown value: inactive', 4],
  ];
  it.each(errors)('%s is a config error', async (_name, yaml, code, message, line) => {
    const error = await evaluateOnlyExcept(jobOf(yaml), scopeFor(branchPush)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect({ code: configError.code, message: configError.message, line: configError.location?.line }).toEqual({ code, message, line });
  });
});
