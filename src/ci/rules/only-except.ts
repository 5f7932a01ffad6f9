/**
 * Legacy `only`/`except` (GitLab's `Entry::Policy` and `Build::Policy::*`). A job is included
 * when every `only` condition holds and no `except` condition does (Seed::Build#all_of_only? and
 * #none_of_except?). Without `only`, GitLab applies `only: [branches, tags]`, so such jobs are
 * not in merge request pipelines, unless the job has `rules` or the configuration has
 * workflow:rules (Entry::Job#compose!, gitlab!21742). Docs: ci/yaml/deprecated_keywords.md.
 */
import { ConfigError } from '../../errors.js';
import { evaluateNode, isPresent } from '../expression/index.js';
import { locationOfKey } from '../positions.js';
import type { CiMap } from '../value.js';
import { compileGlob } from './glob.js';
import { readPolicy, type Policy } from './policy-config.js';
import { matchesRef } from './refs.js';
import type { OnlyExceptScope } from './types.js';

export interface OnlyExceptOutcome {
  readonly included: boolean;
  readonly reason: string;
}

// Entry::Policy::DEFAULT_ONLY.
const DEFAULT_ONLY_REFS: readonly string[] = ['branches', 'tags'];

export async function evaluateOnlyExcept(job: CiMap, scope: OnlyExceptScope): Promise<OnlyExceptOutcome> {
  const only = job.only ?? undefined;
  const except = job.except ?? undefined;
  const hasRules = job.rules !== undefined && job.rules !== null;
  if (hasRules) {
    const keys = [only === undefined ? undefined : 'only', except === undefined ? undefined : 'except'].filter((key) => key !== undefined);
    if (keys.length > 0) {
      throw new ConfigError('rules-with-only-except', `${scope.path ?? 'job'} config key may not be used with \`rules\`: ${keys.join(', ')}`, {
        location: locationOfKey(job, keys[0] as string) ?? { file: scope.file },
        hint: 'Move the only/except conditions into rules: (see ci/jobs/job_rules.md).',
      });
    }
    return { included: true, reason: 'the job uses rules, not only/except' };
  }
  const onlyPolicy = only === undefined ? defaultOnly(scope) : readPolicy(only, 'only', job, scope);
  const exceptPolicy = except === undefined ? undefined : readPolicy(except, 'except', job, scope);

  if (onlyPolicy !== undefined) {
    const failed = await firstUnsatisfied(onlyPolicy, scope);
    if (failed !== undefined) return { included: false, reason: `only:${failed} did not match` };
  }
  if (exceptPolicy !== undefined) {
    const matched = await firstSatisfied(exceptPolicy, scope);
    if (matched !== undefined) return { included: false, reason: `except:${matched} matched` };
  }
  if (only === undefined) return { included: true, reason: onlyPolicy === undefined ? 'no only/except (workflow:rules present)' : 'default only: [branches, tags] matched' };
  return { included: true, reason: 'only/except matched' };
}

function defaultOnly(scope: OnlyExceptScope): Policy | undefined {
  if (scope.hasWorkflowRules === true) return undefined;
  return { refs: DEFAULT_ONLY_REFS, variables: undefined, changes: undefined, kubernetes: undefined };
}

type PolicyKey = 'refs' | 'variables' | 'changes' | 'kubernetes';
const POLICY_KEYS: readonly PolicyKey[] = ['refs', 'variables', 'changes', 'kubernetes'];

async function firstUnsatisfied(policy: Policy, scope: OnlyExceptScope): Promise<PolicyKey | undefined> {
  for (const key of POLICY_KEYS) {
    if (policy[key] !== undefined && !(await specSatisfied(policy, key, scope))) return key;
  }
  return undefined;
}

async function firstSatisfied(policy: Policy, scope: OnlyExceptScope): Promise<PolicyKey | undefined> {
  for (const key of POLICY_KEYS) {
    if (policy[key] !== undefined && (await specSatisfied(policy, key, scope))) return key;
  }
  return undefined;
}

async function specSatisfied(policy: Policy, key: PolicyKey, scope: OnlyExceptScope): Promise<boolean> {
  switch (key) {
    case 'refs':
      return (policy.refs ?? []).some((pattern) => matchesRef(pattern, scope));
    case 'variables':
      // Policy::Variables: any expression that is truthful.
      return (policy.variables ?? []).some((expression) => isPresent(evaluateNode(expression, scope.variables)));
    case 'changes': {
      // Policy::Changes: unknown changes count as a match; globs are not variable-expanded.
      const modified = await scope.facts.changedPaths(undefined);
      if (modified === undefined) return true;
      const globs = (policy.changes ?? []).map(compileGlob);
      return modified.some((path) => globs.some((glob) => glob.test(path)));
    }
    case 'kubernetes':
      return scope.kubernetesActive === true;
  }
}
