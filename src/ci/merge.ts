/**
 * GitLab's merge rule for includes and `extends`: hashes are merged key by key, recursively;
 * anything else (arrays, scalars, `!reference` tags) is replaced by the later value. This is
 * Ruby's Hash#deep_merge as GitLab applies it (docs "ci/yaml/includes", "Merge method"), one
 * map after another.
 *
 * Written here rather than with deepmerge-ts: its n-ary merge replaces a key outright when the
 * values' kinds differ anywhere in the list (GitLab folds pairwise), and its cycle detection
 * turns a subtree shared by two inputs (as `!reference` results share their target) into a
 * self-reference. Both differ from Ruby's deep_merge; the rule itself is a dozen lines.
 */
import { copyLocation } from './positions.js';
import { isMap, setEntry, type CiMap } from './value.js';

/** Deep-merges CI maps left to right: later maps win. Inputs are not modified. */
export function mergeCiMaps(...maps: readonly CiMap[]): CiMap {
  if (maps.length === 0) return {};
  let merged = maps[0] as CiMap;
  for (const next of maps.slice(1)) merged = mergePair(merged, next);
  return merged;
}

function mergePair(base: CiMap, override: CiMap): CiMap {
  const result: CiMap = {};
  for (const [key, value] of Object.entries(base)) define(result, key, value);
  for (const [key, value] of Object.entries(override)) {
    const current = Object.prototype.hasOwnProperty.call(result, key) ? result[key] : undefined;
    define(result, key, isMap(current) && isMap(value) ? mergePair(current, value) : value);
  }
  // The later definition is the one a user edits to change the result: its positions win.
  copyLocation(override, result);
  copyLocation(base, result);
  return result;
}

/** Keys such as `__proto__` are data in CI YAML; setEntry keeps them so. */
function define(map: CiMap, key: string, value: CiMap[string]): void {
  setEntry(map, key, value);
}
