/**
 * Validates a `rules:` list and reads each rule into a typed form, with GitLab's messages from
 * `Entry::Rules` / `Entry::Rules::Rule` ("rules:rule config contains unknown keys: foo",
 * "rules:rule if invalid expression syntax"...). Every rule is checked before any is evaluated,
 * as GitLab validates the whole configuration first.
 */
import { ConfigError, isSidecarError } from '../../errors.js';
import { parseExpression, type Expression } from '../expression/index.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { parseDuration, ONE_WEEK_SECONDS } from './duration.js';
import { readChanges, readExists, readVariables, type RuleChanges, type RuleExists } from './rule-clauses-config.js';
import { configError, showValue, type ConfigPlace } from './rule-errors.js';

export interface RuleKind {
  readonly allowedKeys: readonly string[];
  readonly allowedWhen: readonly string[];
}

// Job rules: Entry::Processable metadata (allowed_when, allowed_keys).
export const JOB_RULES: RuleKind = {
  allowedKeys: ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'interruptible'],
  allowedWhen: ['on_success', 'on_failure', 'always', 'never', 'manual', 'delayed'],
};

// Entry::Workflow: start_in, allow_failure and needs are accepted there for compatibility.
export const WORKFLOW_RULES: RuleKind = {
  allowedKeys: ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'auto_cancel'],
  allowedWhen: ['always', 'never'],
};

// Entry::Include::Rules::Rule.
export const INCLUDE_RULES: RuleKind = {
  allowedKeys: ['if', 'exists', 'when', 'changes'],
  allowedWhen: ['never', 'always'],
};

export interface ParsedRule {
  readonly index: number;
  readonly node: CiMap;
  readonly ifSource: string | undefined;
  readonly ifTree: Expression | undefined;
  readonly changes: RuleChanges | undefined;
  readonly exists: RuleExists | undefined;
  readonly when: string | undefined;
  readonly allowFailure: boolean | undefined;
  readonly startIn: string | undefined;
  readonly needs: CiValue | undefined;
  readonly variables: Readonly<Record<string, string>>;
  readonly interruptible: boolean | undefined;
  readonly autoCancel: CiValue | undefined;
}

// Processable's MAX_NESTING_LEVEL for `rules` built from nested `!reference` arrays.
const MAX_RULES_NESTING = 10;

export function parseRules(rules: CiValue, kind: RuleKind, place: ConfigPlace): ParsedRule[] {
  if (!isSeq(rules)) throw configError(place, 'rules', 'config should be an array', rules);
  const flat = flattenRules(rules, place, 0);
  if (flat.length === 0) throw configError(place, 'rules', "config can't be blank", rules);
  return flat.map((rule, index) => parseRule(rule, index, kind, place));
}

function flattenRules(rules: CiValue[], place: ConfigPlace, depth: number): CiValue[] {
  if (depth > MAX_RULES_NESTING) {
    throw configError(place, 'rules', 'should be an array containing hashes and arrays of hashes', rules);
  }
  return rules.flatMap((rule) => (isSeq(rule) ? flattenRules(rule, place, depth + 1) : [rule]));
}

function parseRule(rule: CiValue, index: number, kind: RuleKind, place: ConfigPlace): ParsedRule {
  const entry = 'rules:rule';
  if (!isMap(rule)) throw configError(place, entry, 'config should be a hash', rule);
  const keys = Object.keys(rule);
  if (keys.length === 0) throw configError(place, entry, "config can't be blank", rule);
  const unknown = keys.filter((key) => !kind.allowedKeys.includes(key));
  if (unknown.length > 0) throw configError(place, entry, `config contains unknown keys: ${unknown.join(', ')}`, rule, unknown[0]);

  const value = (key: string): CiValue | undefined => (rule[key] === null ? undefined : rule[key]);
  const when = value('when');
  if (when !== undefined && (typeof when !== 'string' || !kind.allowedWhen.includes(when))) {
    throw configError(place, entry, `when unknown value: ${showValue(when)}`, rule, 'when');
  }
  const ifValue = value('if');
  let ifTree: Expression | undefined;
  if (ifValue !== undefined) ifTree = parseIf(ifValue, rule, place);

  return {
    index,
    node: rule,
    ifSource: typeof ifValue === 'string' ? ifValue : undefined,
    ifTree,
    changes: value('changes') === undefined ? undefined : readChanges(value('changes') as CiValue, rule, place),
    exists: value('exists') === undefined ? undefined : readExists(value('exists') as CiValue, rule, place),
    when,
    allowFailure: readBoolean(value('allow_failure'), 'allow_failure', rule, place),
    startIn: readStartIn(value('start_in'), when, rule, place),
    needs: readNeeds(value('needs'), rule, place),
    variables: value('variables') === undefined ? {} : readVariables(value('variables') as CiValue, rule, place),
    interruptible: readBoolean(value('interruptible'), 'interruptible', rule, place),
    autoCancel: value('auto_cancel'),
  };
}

function parseIf(source: CiValue, rule: CiMap, place: ConfigPlace): Expression {
  // ExpressionValidator: anything but a string GitLab's Statement accepts is "invalid expression syntax".
  const failure = (cause?: unknown): ConfigError =>
    configError(place, 'rules:rule', 'if invalid expression syntax', rule, 'if', 'expression-syntax', cause);
  if (typeof source !== 'string') throw failure(new Error(`if must be a string, not ${typeof source}`));
  try {
    return parseExpression(source);
  } catch (error) {
    if (isSidecarError(error)) throw failure(error);
    throw error;
  }
}

function readBoolean(value: CiValue | undefined, key: string, rule: CiMap, place: ConfigPlace): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw configError(place, 'rules:rule', `${key} should be a boolean value`, rule, key);
  return value;
}

function readStartIn(value: CiValue | undefined, when: string | undefined, rule: CiMap, place: ConfigPlace): string | undefined {
  if (when !== 'delayed') {
    // Rule entry: start_in is a disallowed key unless the rule says `when: delayed`.
    if (value !== undefined) throw configError(place, 'rules:rule', 'config contains disallowed keys: start_in', rule, 'start_in');
    return undefined;
  }
  if (value === undefined || value === '') throw configError(place, 'rules:rule', "start_in can't be blank", rule, 'when');
  const seconds = typeof value === 'string' ? parseDuration(value) : undefined;
  if (seconds === undefined) throw configError(place, 'rules:rule', 'start_in should be a duration', rule, 'start_in');
  if (seconds > ONE_WEEK_SECONDS) throw configError(place, 'rules:rule', 'start_in should not exceed the limit', rule, 'start_in');
  return value as string;
}

function readNeeds(value: CiValue | undefined, rule: CiMap, place: ConfigPlace): CiValue | undefined {
  if (value === undefined) return undefined;
  // Entry::Needs: a list of job names or `{job: ...}` hashes (rules:needs allows jobs only).
  if (!isSeq(value) && !isMap(value)) throw configError(place, 'rules:rule:needs', 'config can only be a hash or an array', rule, 'needs');
  return value;
}
