/**
 * `default:` and the legacy top-level keywords that act like it (docs: "default" and
 * "inherit" in ci/yaml/_index, "Globally-defined image, services, cache, before_script,
 * after_script" in ci/yaml/deprecated_keywords; code: entry/default.rb, entry/inherit/default.rb,
 * Processable#overwrite_entry).
 * - a default keyword is copied to a job that does not set it; no deep merge, the job's value
 *   wins whole; a job key set to null counts as not set (the entry is unspecified);
 * - `inherit:default` is true, false, or the list of keywords to take;
 * - a legacy top-level keyword fills the same slot; both at once is an error.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { copyLocation, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { hasMapEntry, readMapEntry, setMapEntry } from './ci-map.js';
import { checkDefaultShape } from './default-shapes.js';
import { entryError } from './entry-error.js';
import { flattenCommands } from './scripts.js';

/** Entry::Default::ALLOWED_KEYS: the keywords `default:` accepts and jobs inherit. */
export const DEFAULT_KEYWORDS: readonly string[] = [
  'after_script',
  'artifacts',
  'before_script',
  'cache',
  'hooks',
  'id_tokens',
  'image',
  'interruptible',
  'retry',
  'services',
  'tags',
  'timeout',
];

/** Top-level keywords GitLab still reads as defaults (Default entries with `inherit: true`). */
export const LEGACY_DEFAULT_KEYWORDS: readonly string[] = ['before_script', 'image', 'services', 'after_script', 'cache'];

const SCRIPT_KEYWORDS: readonly string[] = ['before_script', 'after_script'];

/** Which defaults a job takes: `inherit:default` as true, false or the set of keywords named. */
export type DefaultInheritance = boolean | ReadonlySet<string>;

/**
 * The defaults every job may inherit: `default:` plus legacy top-level keywords, scripts
 * flattened. `defaultValue` is the `default:` entry, or undefined when `default` is a job name.
 */
export function readDefaults(config: CiMap, defaultValue: CiValue | undefined): CiMap {
  const defaults: CiMap = {};
  const location = locationOfKey(config, 'default');
  if (defaultValue !== undefined && defaultValue !== null) {
    if (!isMap(defaultValue)) throw entryError('default-format', 'default', 'config should be a hash', location);
    const unknown = Object.keys(defaultValue).filter((key) => !DEFAULT_KEYWORDS.includes(key));
    if (unknown.length > 0) {
      throw entryError('default-unknown-keys', 'default', `config contains unknown keys: ${unknown.join(', ')}`, location);
    }
    for (const [key, value] of Object.entries(defaultValue)) {
      if (value === null) continue;
      setMapEntry(defaults, key, normalizeDefault(key, value, `default:${key}`, locationOfKey(defaultValue, key)));
    }
    copyLocation(defaultValue, defaults);
  }
  for (const key of LEGACY_DEFAULT_KEYWORDS) {
    const value = readMapEntry(config, key);
    if (value === undefined || value === null) continue;
    if (hasMapEntry(defaults, key)) {
      // Entry::Default#overwrite_entry raises InheritError, outside the validators (case kept).
      throw new ConfigError('default-duplicate', `${key} is defined in top-level and \`default:\` entry`, {
        location: locationOfKey(config, key),
        hint: `Keep only default:${key}; top-level ${key} is deprecated.`,
      });
    }
    setMapEntry(defaults, key, normalizeDefault(key, value, key, locationOfKey(config, key)));
  }
  return defaults;
}

/** The job with the defaults it inherits filled in, among the `inheritable` keywords of its kind. */
export function applyDefaults(
  job: CiMap,
  defaults: CiMap,
  inheritance: DefaultInheritance,
  inheritable: readonly string[],
): CiMap {
  if (inheritance === false) return job;
  let result: CiMap | undefined;
  for (const [key, value] of Object.entries(defaults)) {
    if (!inheritable.includes(key)) continue;
    if (inheritance !== true && !inheritance.has(key)) continue;
    const own = readMapEntry(job, key);
    if (own !== undefined && own !== null) continue;
    result ??= copyLocation(job, { ...job });
    setMapEntry(result, key, value);
  }
  return result ?? job;
}

/** Reads `inherit:default` of a job. */
export function readDefaultInheritance(value: CiValue | undefined, entryPath: string, location: SourceLocation | undefined): DefaultInheritance {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (!isSeq(value)) {
    // Simplifiable::UnknownStrategy prints the location, then the message.
    throw entryError('inherit-format', entryPath, 'should be a bool or array of strings', location);
  }
  if (!value.every((item): item is string => typeof item === 'string')) {
    throw entryError('inherit-format', entryPath, 'config should be an array of strings', location);
  }
  const unknown = value.filter((item) => !DEFAULT_KEYWORDS.includes(item));
  if (unknown.length > 0) {
    throw entryError('inherit-format', entryPath, `config contains unknown values: ${unknown.join(', ')}`, location);
  }
  return new Set(value);
}

function normalizeDefault(key: string, value: CiValue, entryPath: string, location: SourceLocation | undefined): CiValue {
  checkDefaultShape(key, value, entryPath, location);
  if (!SCRIPT_KEYWORDS.includes(key)) return value;
  const lines = flattenCommands(value, entryPath, location);
  if (isSeq(value)) copyLocation(value, lines);
  return lines;
}
