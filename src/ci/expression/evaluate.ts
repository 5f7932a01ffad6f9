/**
 * Evaluates an expression tree the way GitLab's lexemes do. Values are Ruby-like: a string, a
 * boolean, `null` (nil) or a pattern. `&&`/`||` return one of their operands (Ruby's `&&`/`||`,
 * where only nil and false are falsy, so `""` is truthy there), and the statement as a whole is
 * true when its value is `present?` (Statement#truthful?): not nil, not false, not blank.
 */
import type { Variables } from '../context.js';
import { parseExpression, type Expression } from './parser.js';
import { patternFromString, patternMatches, type RegexValue } from './pattern.js';

export type ExpressionValue = string | boolean | null | RegexValue;

/** True when `source` holds for `variables`; a ConfigError (`expression-syntax`) when invalid. */
export function evaluateExpression(source: string, variables: Variables): boolean {
  return isPresent(evaluateNode(parseExpression(source), variables));
}

export function evaluateNode(node: Expression, variables: Variables): ExpressionValue {
  switch (node.kind) {
    case 'variable':
      // Lexeme::Variable: an undefined variable is nil, so it equals `null`; `""` does not.
      return Object.prototype.hasOwnProperty.call(variables, node.name) ? (variables[node.name] ?? null) : null;
    case 'input':
      // Inputs are interpolated before rules run; one left over has no value.
      return null;
    case 'string':
      return node.value;
    case 'pattern':
      return node.pattern;
    case 'null':
      return null;
    case 'boolean':
      return node.value;
    case 'binary':
      return evaluateBinary(node.operator, node.left, node.right, variables);
  }
}

function evaluateBinary(
  operator: Extract<Expression, { kind: 'binary' }>['operator'],
  leftNode: Expression,
  rightNode: Expression,
  variables: Variables,
): ExpressionValue {
  if (operator === '&&') {
    const left = evaluateNode(leftNode, variables);
    return isTruthy(left) ? evaluateNode(rightNode, variables) : left;
  }
  if (operator === '||') {
    const left = evaluateNode(leftNode, variables);
    return isTruthy(left) ? left : evaluateNode(rightNode, variables);
  }
  const left = evaluateNode(leftNode, variables);
  const right = evaluateNode(rightNode, variables);
  switch (operator) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
    case '=~':
      return matches(left, right);
    case '!~':
      return !matches(left, right);
  }
}

/** Ruby truthiness: everything but nil and false. */
function isTruthy(value: ExpressionValue): boolean {
  return value !== null && value !== false;
}

/** ActiveSupport's `present?`: nil, false and whitespace-only strings are not present. */
export function isPresent(value: ExpressionValue): boolean {
  if (value === null || value === false) return false;
  if (typeof value === 'string') return !/^\s*$/u.test(value);
  return true;
}

/** Ruby `==`; two patterns are equal when their sources are (UntrustedRegexp#==). */
function valuesEqual(left: ExpressionValue, right: ExpressionValue): boolean {
  if (isPattern(left) || isPattern(right)) {
    return isPattern(left) && isPattern(right) && left.source === right.source;
  }
  return left === right;
}

/**
 * Lexeme::Matches: the left value as a string (nil → ""), matched against the right. A right
 * side that is nil or false never matches; a string that reads as `/re/flags` is used as a
 * pattern (Pattern.build_and_evaluate, the "regex in a variable" rule); any other string is
 * Ruby's `String#scan(text)`: true when the left text occurs in it.
 */
function matches(left: ExpressionValue, right: ExpressionValue): boolean {
  if (right === null || right === false || right === true) return false;
  const text = toText(left);
  if (isPattern(right)) return patternMatches(right, text);
  const pattern = patternFromString(right);
  return pattern === undefined ? right.includes(text) : patternMatches(pattern, text);
}

function toText(value: ExpressionValue): string {
  if (value === null) return '';
  if (isPattern(value)) return value.source;
  return String(value);
}

function isPattern(value: ExpressionValue): value is RegexValue {
  return typeof value === 'object' && value !== null;
}
