/**
 * Reads and validates one `only:` or `except:` value (GitLab's `Entry::Policy`): an array is
 * `{refs: array}`; a hash may hold refs, variables, changes and kubernetes. For `only`, a hash
 * without `refs` still gets the default `refs: [branches, tags]` (Policy#value deep-merges it).
 */
import { isSidecarError } from '../../errors.js';
import { compileRubyPattern, parseExpression, type Expression } from '../expression/index.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { configError, showValue, type ConfigPlace } from './rule-errors.js';

export interface Policy {
  readonly refs: readonly string[] | undefined;
  readonly variables: readonly Expression[] | undefined;
  readonly changes: readonly string[] | undefined;
  readonly kubernetes: 'active' | undefined;
}

const POLICY_KEYS = ['refs', 'kubernetes', 'variables', 'changes'];
const REFS_MESSAGE = 'should be an array of strings or regular expressions using re2 syntax';

export function readPolicy(value: CiValue, key: 'only' | 'except', job: CiMap, place: ConfigPlace): Policy {
  const defaultRefs = key === 'only' ? ['branches', 'tags'] : undefined;
  if (isSeq(value)) {
    return { refs: readRefs(value, key, `config ${REFS_MESSAGE}`, job, place), variables: undefined, changes: undefined, kubernetes: undefined };
  }
  if (!isMap(value)) throw configError(place, key, 'has to be either an array of conditions or a hash', job, key);
  if (Object.keys(value).length === 0) throw configError(place, key, "config can't be blank", job, key);
  const unknown = Object.keys(value).filter((name) => !POLICY_KEYS.includes(name));
  if (unknown.length > 0) throw configError(place, key, `config contains unknown keys: ${unknown.join(', ')}`, value, unknown[0]);
  const present = (name: string): CiValue | undefined => (value[name] === null ? undefined : value[name]);

  const refs = present('refs');
  const kubernetes = present('kubernetes');
  if (kubernetes !== undefined && kubernetes !== 'active') {
    throw configError(place, key, `kubernetes unknown value: ${showValue(kubernetes)}`, value, 'kubernetes');
  }
  const variables = present('variables');
  const changes = present('changes');
  return {
    refs: refs === undefined ? defaultRefs : readRefs(refs, key, `refs ${REFS_MESSAGE}`, value, place),
    variables: variables === undefined ? undefined : readVariableExpressions(variables, key, value, place),
    changes: changes === undefined ? undefined : readStrings(changes, key, 'changes', value, place),
    kubernetes: kubernetes === undefined ? undefined : 'active',
  };
}

function readStrings(value: CiValue, key: string, name: string, node: CiMap, place: ConfigPlace): string[] {
  if (!isSeq(value) || !value.every((item) => typeof item === 'string')) {
    throw configError(place, key, `${name} should be an array of strings`, node, name);
  }
  return value as string[];
}

// ArrayOfStringsOrRegexpsValidator: strings; those written `/.../` must be valid RE2.
function readRefs(value: CiValue, key: string, message: string, node: CiMap, place: ConfigPlace): string[] {
  const valid =
    isSeq(value) && value.every((item) => typeof item === 'string' && (!/^\/.*\/[ismU]*$/.test(item) || isValidPattern(item)));
  if (!valid) throw configError(place, key, message, node, key === 'only' || key === 'except' ? key : 'refs');
  return value as string[];
}

function isValidPattern(text: string): boolean {
  try {
    compileRubyPattern(text);
    return true;
  } catch (error) {
    if (isSidecarError(error)) return false;
    throw error;
  }
}

// ComplexPolicy#variables_expressions_syntax: each entry must be a valid expression.
function readVariableExpressions(value: CiValue, key: string, node: CiMap, place: ConfigPlace): Expression[] {
  const sources = readStrings(value, key, 'variables', node, place);
  return sources.map((source) => {
    try {
      return parseExpression(source);
    } catch (error) {
      if (!isSidecarError(error)) throw error;
      throw configError(place, key, 'variables invalid expression syntax', node, 'variables', 'expression-syntax', error);
    }
  });
}
