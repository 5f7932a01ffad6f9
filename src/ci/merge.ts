/**
 * GitLab's merge rule for includes and `extends`: hashes are merged key by key, recursively;
 * anything else (arrays, scalars, `!reference` tags) is replaced by the later value. This is
 * Ruby's Hash#deep_merge as GitLab applies it (docs: "Merge method" in ci/yaml/includes).
 */
import { deepmergeCustom } from 'deepmerge-ts';
import { copyLocation } from './positions.js';
import { isMap, type CiMap } from './value.js';

const mergeRecordsDeep = deepmergeCustom({
  mergeArrays: false,
  mergeSets: false,
  mergeMaps: false,
  mergeRecords(values, utils, meta) {
    const merged = utils.defaultMergeFunctions.mergeRecords(values, utils, meta) as CiMap;
    // The later definition is the one a user edits to change the result: its positions win.
    for (let index = values.length - 1; index >= 0; index -= 1) {
      const value = values[index] as CiMap;
      if (isMap(value)) copyLocation(value, merged);
    }
    return merged;
  },
});

/** Deep-merges CI maps left to right: later maps win. Inputs are not modified. */
export function mergeCiMaps(...maps: readonly CiMap[]): CiMap {
  if (maps.length === 0) return {};
  if (maps.length === 1) return maps[0] as CiMap;
  return mergeRecordsDeep(...(maps as CiMap[])) as CiMap;
}
