/**
 * The structured rule clauses, validated as GitLab's `Entry::Rules::Rule::Changes`, `::Exists`
 * and `Entry::Variables` do: at most 50 paths each, known keys only, strings where strings go.
 */
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { configError, type ConfigPlace } from './rule-errors.js';

export interface RuleChanges {
  readonly paths: readonly string[];
  readonly compareTo: string | undefined;
}

export interface RuleExists {
  readonly paths: readonly string[];
  readonly project: string | undefined;
  readonly ref: string | undefined;
}

// "has too many entries (maximum 50)" for changes and exists paths.
const MAX_PATHS = 50;

function readPaths(value: CiValue | undefined, entry: string, label: string, rule: CiMap, place: ConfigPlace, key: string): string[] {
  if (!isSeq(value) || !value.every((path) => typeof path === 'string')) {
    throw configError(place, entry, `${label} should be an array of strings`, rule, key);
  }
  if (value.length > MAX_PATHS) throw configError(place, entry, `${label} has too many entries (maximum ${MAX_PATHS})`, rule, key);
  return value as string[];
}

function checkKeys(map: CiMap, allowed: readonly string[], required: readonly string[], entry: string, place: ConfigPlace): void {
  const unknown = Object.keys(map).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw configError(place, entry, `config contains unknown keys: ${unknown.join(', ')}`, map, unknown[0]);
  const missing = required.filter((key) => !(key in map));
  if (missing.length > 0) throw configError(place, entry, `config missing required keys: ${missing.join(', ')}`, map);
}

function optionalString(map: CiMap, key: string, entry: string, place: ConfigPlace): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw configError(place, entry, `${key} should be a string`, map, key);
  return value;
}

/** `changes: [paths]` or `changes: {paths, compare_to}`. */
export function readChanges(value: CiValue, rule: CiMap, place: ConfigPlace): RuleChanges {
  const entry = 'rules:rule:changes';
  if (isSeq(value)) return { paths: readPaths(value, entry, 'config', rule, place, 'changes'), compareTo: undefined };
  if (!isMap(value)) throw configError(place, entry, 'should be an array or a hash', rule, 'changes');
  checkKeys(value, ['paths', 'compare_to'], ['paths'], entry, place);
  return {
    paths: readPaths(value.paths, entry, 'paths', value, place, 'paths'),
    compareTo: optionalString(value, 'compare_to', entry, place),
  };
}

/** `exists: path`, `exists: [paths]` or `exists: {paths, project, ref}` (ref needs project). */
export function readExists(value: CiValue, rule: CiMap, place: ConfigPlace): RuleExists {
  const entry = 'rules:rule:exists';
  if (typeof value === 'string') return { paths: [value], project: undefined, ref: undefined };
  if (isSeq(value)) return { paths: readPaths(value, entry, 'config', rule, place, 'exists'), project: undefined, ref: undefined };
  if (!isMap(value)) throw configError(place, entry, 'should be a string, an array of strings, or a hash', rule, 'exists');
  checkKeys(value, ['paths', 'project', 'ref'], 'ref' in value ? ['paths', 'project'] : ['paths'], entry, place);
  return {
    paths: readPaths(value.paths, entry, 'paths', value, place, 'paths'),
    project: optionalString(value, 'project', entry, place),
    ref: optionalString(value, 'ref', entry, place),
  };
}

/**
 * `variables:` of a rule. Entry::Variable: a string or an integer (kept as its text); the
 * `{value, description}` form is for pipeline-level variables only.
 */
export function readVariables(value: CiValue, rule: CiMap, place: ConfigPlace): Record<string, string> {
  const entry = 'rules:rule:variables';
  if (!isMap(value)) throw configError(place, entry, 'config should be a hash of key value pairs', rule, 'variables');
  const variables: Record<string, string> = {};
  for (const [name, variable] of Object.entries(value)) {
    if (typeof variable === 'string' || (typeof variable === 'number' && Number.isInteger(variable))) {
      variables[name] = String(variable);
    } else if (isMap(variable)) {
      throw configError(place, `${entry}:${name}`, 'config must be a string', value, name);
    } else {
      throw configError(place, `${entry}:${name}`, 'variable definition must be either a string or a hash', value, name);
    }
  }
  return variables;
}
