/**
 * A small include:rules evaluator for these tests, so they do not depend on the rules module:
 * `if` with `$VAR`, `$VAR == "x"` and `$VAR != "x"`; `exists` and `changes` with globs; `when`.
 * The real evaluator is injected by the orchestrator and tested in test/ci/rules.
 */
import picomatch from 'picomatch';
import type { IncludeRuleEvaluator } from '../../../src/ci/include/index.js';
import { isMap, isSeq, type CiValue } from '../../../src/ci/value.js';

export const evaluateSimpleRules: IncludeRuleEvaluator = async (rules, scope) => {
  if (!isSeq(rules)) throw new Error('rules must be a list');
  for (const rule of rules) {
    if (!isMap(rule)) throw new Error('a rule must be a hash');
    if (rule.if !== undefined && !evaluateIf(String(rule.if), scope.variables)) continue;
    if (rule.exists !== undefined) {
      const files = await scope.facts.projectFiles(undefined, undefined);
      if (!files.some(matchesAny(pathsOf(rule.exists)))) continue;
    }
    if (rule.changes !== undefined) {
      const changed = await scope.facts.changedPaths(undefined);
      if (changed !== undefined && !changed.some(matchesAny(pathsOf(rule.changes)))) continue;
    }
    return { when: typeof rule.when === 'string' ? rule.when : 'always' };
  }
  return { when: 'never' };
};

function evaluateIf(expression: string, variables: Readonly<Record<string, string>>): boolean {
  const comparison = /^\$(\w+)\s*(==|!=)\s*"([^"]*)"$/.exec(expression.trim());
  if (comparison !== null) {
    const equal = (variables[comparison[1] ?? ''] ?? null) === comparison[3];
    return comparison[2] === '==' ? equal : !equal;
  }
  const defined = /^\$(\w+)$/.exec(expression.trim());
  if (defined !== null) return (variables[defined[1] ?? ''] ?? '') !== '';
  throw new Error(`expression not supported by the test evaluator: ${expression}`);
}

function pathsOf(value: CiValue): string[] {
  const list = isMap(value) ? value.paths : value;
  return isSeq(list) ? list.map(String) : [String(list)];
}

function matchesAny(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map((glob) => picomatch(glob, { dot: true }));
  return (path) => matchers.some((matches) => matches(path));
}
