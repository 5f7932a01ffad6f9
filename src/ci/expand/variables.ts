/**
 * YAML `variables:`, global and per job (docs: "variables" in ci/yaml/_index; code:
 * lib/gitlab/ci/config/entry/variables.rb and variable.rb). A variable is either `NAME: scalar`
 * or `NAME: {value, description, expand, options}`; global variables accept all four data keys,
 * job variables only `value` and `expand` (Root and Processable `allowed_value_data`).
 */
import type { SourceLocation } from '../../errors.js';
import { ConfigError } from '../../errors.js';
import { locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { readMapEntry } from './ci-map.js';
import { entryError } from './entry-error.js';

export interface CiVariable {
  readonly value: string;
  /** False for `expand: false`: the runner must not expand `$` references in the value. */
  readonly expand: boolean;
  readonly description?: string;
  readonly options?: readonly string[];
}

export type VariableMap = Readonly<Record<string, CiVariable>>;

/** Where a `variables:` block sits, for messages, and which hash keys its variables may use. */
export interface VariablesScope {
  /** GitLab's entry path: `variables` or `jobs:<name>:variables`. */
  readonly path: string;
  readonly allowedData: readonly string[];
}

export const GLOBAL_VARIABLES_SCOPE: VariablesScope = {
  path: 'variables',
  allowedData: ['value', 'description', 'expand', 'options'],
};

export function jobVariablesScope(jobName: string): VariablesScope {
  return { path: `jobs:${jobName}:variables`, allowedData: ['value', 'expand'] };
}

/** Which global variables a job receives: `inherit:variables` is true, false or a list of names. */
export type VariablesInheritance = boolean | readonly string[];

/**
 * Reads a `variables:` block. Numbers and booleans become strings as Ruby's `to_s` makes them
 * (`1.0` reads as `1`: YAML floats with a zero fraction lose it here, unlike in GitLab).
 */
export function readVariables(
  value: CiValue | undefined,
  where: SourceLocation | undefined,
  scope: VariablesScope = GLOBAL_VARIABLES_SCOPE,
): VariableMap {
  // An unset or null block is no variables (Variables.default), as `variables: null` after extends.
  if (value === undefined || value === null) return {};
  if (!isMap(value)) throw entryError('variables-format', scope.path, 'config should be a hash', where);
  const variables: Record<string, CiVariable> = {};
  for (const [name, definition] of Object.entries(value)) {
    const location = locationOfKey(value, name) ?? where;
    Object.defineProperty(variables, name, {
      value: readVariable(definition, `${scope.path}:${name}`, scope, location),
      enumerable: true,
    });
  }
  return variables;
}

/** Global variables the job inherits (per `inherit:variables`), overlaid by the job's own. */
export function inheritVariables(
  global: VariableMap,
  inheritance: VariablesInheritance,
  own: VariableMap,
): VariableMap {
  // Ci::Variables::Helpers.inherit_yaml_variables: true keeps all, false none, a list those named.
  const inherited = Object.entries(global).filter(
    ([name]) => inheritance === true || (Array.isArray(inheritance) && inheritance.includes(name)),
  );
  const result: Record<string, CiVariable> = {};
  for (const [name, variable] of [...inherited, ...Object.entries(own)]) {
    Object.defineProperty(result, name, { value: variable, enumerable: true, configurable: true });
  }
  return result;
}

function readVariable(definition: CiValue, path: string, scope: VariablesScope, location: SourceLocation | undefined): CiVariable {
  if (isScalarValue(definition)) return { value: String(definition), expand: true };
  if (!isMap(definition)) {
    // Variable::UnknownStrategy reports this without the entry path.
    throw new ConfigError('variable-definition', 'variable definition must be either a string or a hash', { location });
  }
  const extra = Object.keys(definition).filter((key) => !scope.allowedData.includes(key));
  if (extra.length > 0) {
    throw entryError('variable-data-keys', path, `config uses invalid data keys: ${extra.join(', ')}`, location);
  }
  const value = readMapEntry(definition, 'value');
  if (value !== undefined && value !== null && !isScalarValue(value)) {
    throw entryError('variable-value', path, 'config value must be a scalar', keyLocation(definition, 'value', location));
  }
  const description = readMapEntry(definition, 'description');
  if (description !== undefined && description !== null && typeof description !== 'string' && !Number.isInteger(description)) {
    throw entryError('variable-description', path, 'config description must be an alphanumeric string', keyLocation(definition, 'description', location));
  }
  const expand = readMapEntry(definition, 'expand');
  if (expand !== undefined && expand !== null && typeof expand !== 'boolean') {
    throw entryError('variable-expand', path, 'config expand should be a boolean value', keyLocation(definition, 'expand', location));
  }
  const options = readOptions(definition, path, location);
  if (options !== undefined && options.length > 0 && !(typeof value === 'string' && options.includes(value))) {
    throw entryError('variable-options', path, 'config value must be present in options', keyLocation(definition, 'options', location));
  }
  return {
    // ComplexVariable#value: `config_value.to_s`, so a missing value is an empty string.
    value: value === undefined || value === null ? '' : String(value),
    expand: expand !== false,
    ...(description === undefined || description === null ? {} : { description: String(description) }),
    ...(options === undefined ? {} : { options }),
  };
}

function readOptions(definition: CiMap, path: string, location: SourceLocation | undefined): string[] | undefined {
  const options = readMapEntry(definition, 'options');
  if (options === undefined || options === null) return undefined;
  if (!isSeq(options) || !options.every((option): option is string => typeof option === 'string')) {
    throw entryError('variable-options', path, 'config options should be an array of strings', keyLocation(definition, 'options', location));
  }
  return [...options];
}

/** GitLab's ScalarValidator: strings, numbers and booleans; not null. */
function isScalarValue(value: CiValue | undefined): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function keyLocation(map: CiMap, key: string, fallback: SourceLocation | undefined): SourceLocation | undefined {
  return locationOfKey(map, key) ?? fallback;
}
