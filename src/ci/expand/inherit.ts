/**
 * A job's `inherit:` keyword (docs: "inherit" in ci/yaml/_index; code: entry/inherit.rb,
 * entry/inherit/default.rb, entry/inherit/variables.rb): `default` and `variables`, each true,
 * false or a list of names. Both default to true.
 */
import type { SourceLocation } from '../../errors.js';
import { locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap } from '../value.js';
import { readMapEntry } from './ci-map.js';
import { readDefaultInheritance, type DefaultInheritance } from './defaults.js';
import { entryError } from './entry-error.js';
import type { VariablesInheritance } from './variables.js';

export interface JobInheritance {
  readonly default: DefaultInheritance;
  readonly variables: VariablesInheritance;
}

const INHERIT_KEYWORDS: readonly string[] = ['default', 'variables'];

export function readInheritance(job: CiMap, jobPath: string): JobInheritance {
  const value = readMapEntry(job, 'inherit');
  const location = locationOfKey(job, 'inherit');
  if (value === undefined || value === null) return { default: true, variables: true };
  if (!isMap(value)) throw entryError('inherit-format', `${jobPath}:inherit`, 'config should be a hash', location);
  const unknown = Object.keys(value).filter((key) => !INHERIT_KEYWORDS.includes(key));
  if (unknown.length > 0) {
    throw entryError('inherit-format', `${jobPath}:inherit`, `config contains unknown keys: ${unknown.join(', ')}`, location);
  }
  return {
    default: readDefaultInheritance(readMapEntry(value, 'default'), `${jobPath}:inherit:default`, locationOfKey(value, 'default')),
    variables: readVariablesInheritance(value, `${jobPath}:inherit:variables`, locationOfKey(value, 'variables')),
  };
}

function readVariablesInheritance(inherit: CiMap, entryPath: string, location: SourceLocation | undefined): VariablesInheritance {
  const value = readMapEntry(inherit, 'variables');
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (!isSeq(value)) throw entryError('inherit-format', entryPath, 'should be a bool or array of strings', location);
  if (!value.every((item): item is string => typeof item === 'string')) {
    throw entryError('inherit-format', entryPath, 'config should be an array of strings', location);
  }
  return [...value];
}
