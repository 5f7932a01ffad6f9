/**
 * ajv errors → problems a person can act on: one message per real problem, naming the policy
 * and the YAML path (`pipeline_execution_policy[1] "Compliance audit": enabled must be boolean`),
 * placed at the offending key or node. anyOf/oneOf failures are explained by the branch that
 * came closest (an error deeper in the document) or else by the schema's `errorMessage`.
 */
import type { ErrorObject } from 'ajv';
import type { CiMap } from '../ci/value.js';
import type { PolicyProblem } from './policy-problem.js';
import { describePointer, joinPath, locateKey, locatePointer, splitPointer } from './policy-paths.js';

export function describeSchemaErrors(errors: readonly ErrorObject[], root: CiMap, file: string): PolicyProblem[] {
  const problems = keepExplainingErrors(errors).map((error) => describeError(error, root, file, 'error'));
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = `${problem.location.line}:${problem.location.column}:${problem.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function describeUnknownKeys(errors: readonly ErrorObject[], root: CiMap, file: string): PolicyProblem[] {
  return errors.map((error) => describeError(error, root, file, 'warning'));
}

const COMBINATORS = new Set(['anyOf', 'oneOf']);

function isUnder(error: ErrorObject, combinator: ErrorObject): boolean {
  const sameOrBelow = error.instancePath === combinator.instancePath || error.instancePath.startsWith(`${combinator.instancePath}/`);
  return sameOrBelow && error.schemaPath.startsWith(`${combinator.schemaPath}/`);
}

/** Drops `if` noise and resolves each anyOf/oneOf into either its deeper errors or itself. */
function keepExplainingErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>(errors.filter((error) => error.keyword === 'if'));
  const combinators = errors
    .filter((error) => COMBINATORS.has(error.keyword))
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length || a.instancePath.length - b.instancePath.length);
  for (const combinator of combinators) {
    if (dropped.has(combinator)) continue;
    const branchErrors = errors.filter((error) => error !== combinator && isUnder(error, combinator));
    const deeper = branchErrors.filter((error) => error.instancePath.length > combinator.instancePath.length);
    if (deeper.length > 0) {
      // Some branch matched the shape of the value and failed inside it: that is the real problem.
      dropped.add(combinator);
      for (const error of branchErrors) if (!deeper.includes(error)) dropped.add(error);
    } else {
      for (const error of branchErrors) dropped.add(error);
    }
  }
  return errors.filter((error) => !dropped.has(error));
}

interface Statement {
  /** What the message is about, below the policy: `content.include[0].file`; '' for the node itself. */
  readonly subject: string;
  readonly predicate: string;
  readonly at: 'key' | 'node' | { readonly key: string };
}

function describeError(error: ErrorObject, root: CiMap, file: string, severity: 'error' | 'warning'): PolicyProblem {
  const segments = splitPointer(error.instancePath);
  const place = describePointer(root, segments);
  const statement = severity === 'warning' ? unknownKeyStatement(error, place.path) : state(error, place.path);
  const text = statement.subject === '' ? statement.predicate : `${statement.subject} ${statement.predicate}`;
  const location =
    typeof statement.at === 'object'
      ? locateKey(root, segments, statement.at.key, file)
      : locatePointer(root, segments, file, statement.at);
  return {
    severity,
    code: severity === 'warning' ? 'policy-unknown-key' : 'policy-schema',
    location,
    policy: place.policy,
    message: place.policy === undefined ? text : `${place.policy}: ${text}`,
  };
}

function unknownKeyStatement(error: ErrorObject, path: string): Statement {
  const key = String(error.params['additionalProperty']);
  return { subject: joinPath(path, key), predicate: 'is not a known key; GitLab ignores it, and so does policy-sidecar', at: { key } };
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  boolean: 'boolean',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

function typeNoun(type: unknown): string {
  const nouns = (Array.isArray(type) ? type.map(String) : [String(type)]).map((name) => TYPE_NOUNS[name] ?? name);
  const last = nouns.pop() ?? '';
  return nouns.length === 0 ? last : `${nouns.join(', ')} or ${last}`;
}

function plural(count: unknown, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function showValue(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
}

function annotation(error: ErrorObject): string | undefined {
  const message: unknown = error.parentSchema?.['errorMessage'];
  return typeof message === 'string' ? message : undefined;
}

function state(error: ErrorObject, path: string): Statement {
  const { params } = error;
  const about = (predicate: string, at: Statement['at'] = 'key'): Statement => ({ subject: path, predicate, at });
  switch (error.keyword) {
    case 'type':
      return about(`must be ${typeNoun(params['type'])}`);
    case 'required': {
      const key = String(params['missingProperty']);
      return { subject: joinPath(path, key), predicate: 'is required', at: 'node' };
    }
    case 'additionalProperties':
      return unknownKey(error, path);
    case 'enum': {
      const allowed: unknown = params['allowedValues'];
      return about(`must be one of: ${(Array.isArray(allowed) ? allowed : []).map(showValue).join(', ')}`);
    }
    case 'const':
      return about(`must be ${showValue(params['allowedValue'])}`);
    case 'minLength':
      return about(params['limit'] === 1 ? 'must not be empty' : `must be at least ${plural(params['limit'], 'character')} long`);
    case 'maxLength':
      return about(`must be at most ${plural(params['limit'], 'character')} long`);
    case 'minItems':
      return about(`must have at least ${plural(params['limit'], 'item')}`);
    case 'maxItems':
      return about(`must have at most ${plural(params['limit'], 'item')}`);
    case 'minimum':
    case 'maximum':
      return about(`must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}`);
    case 'minProperties':
    case 'maxProperties':
      return about(`must have ${error.keyword === 'minProperties' ? 'at least' : 'at most'} ${plural(params['limit'], 'key')}`, 'node');
    case 'pattern':
      return about(`must match ${String(params['pattern'])}`);
    case 'uniqueItems':
      return about(`must not repeat items (items ${String(params['j'])} and ${String(params['i'])} are the same)`);
    case 'anyOf':
    case 'oneOf':
    case 'not':
      return about(annotation(error) ?? (error.keyword === 'not' ? 'is not allowed' : 'does not match any allowed form'), 'node');
    default:
      return about(error.message ?? 'is invalid');
  }
}

function unknownKey(error: ErrorObject, path: string): Statement {
  const key = String(error.params['additionalProperty']);
  const patterns = Object.keys(asRecord(error.parentSchema?.['patternProperties']));
  if (patterns.length > 0) {
    return { subject: joinPath(path, key), predicate: `is not a valid key (keys must match ${patterns.join(' or ')})`, at: { key } };
  }
  const known = Object.keys(asRecord(error.parentSchema?.['properties']));
  const hint = known.length > 0 && known.length <= 12 ? `; expected one of: ${known.join(', ')}` : '';
  return { subject: joinPath(path, key), predicate: `is not a known key${hint}`, at: { key } };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}
