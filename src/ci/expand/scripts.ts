/**
 * Keywords whose lists may nest (YAML anchors and `!reference` tags put lists inside lists) and
 * that GitLab flattens: `script`, `before_script`, `after_script` (Entry::Commands; docs:
 * "script" in ci/yaml/_index, "Nest !reference tags in script" in ci/yaml/yaml_optimization)
 * and `rules` (Entry::Rules `[super].flatten`, Processable `nested_array_of_hashes_or_arrays`).
 * Both allow lists nested up to 10 levels.
 */
import type { SourceLocation } from '../../errors.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { entryError } from './entry-error.js';

/** Entry::Commands::MAX_NESTING_LEVEL and Processable::MAX_NESTING_LEVEL. */
export const MAX_LIST_NESTING = 10;

/** A string or nested list of strings → a flat list of strings (`Array(config).flatten`). */
export function flattenCommands(value: CiValue, entryPath: string, location: SourceLocation | undefined): string[] {
  if (typeof value === 'string') return [value];
  const lines = isSeq(value) ? flattenNested(value, MAX_LIST_NESTING, (item): item is string => typeof item === 'string') : undefined;
  if (lines === undefined) {
    throw entryError(
      'script-format',
      entryPath,
      `config should be a string or a nested array of strings up to ${MAX_LIST_NESTING} levels deep`,
      location,
      'Quote script lines that contain ": " or start with a YAML special character, so each line stays a string.',
    );
  }
  return lines;
}

/** A list of rules, possibly with nested lists from `!reference`, → a flat list of rule hashes. */
export function flattenRules(value: CiValue, entryPath: string, location: SourceLocation | undefined): CiMap[] {
  const rules = isSeq(value) ? flattenNested(value, MAX_LIST_NESTING, isMap) : undefined;
  if (rules === undefined) {
    throw entryError('rules-format', entryPath, 'should be an array containing hashes and arrays of hashes', location);
  }
  return rules;
}

/**
 * NestedArrayHelpers#validate_nested_array: the top list may hold lists up to `levels` deep in
 * all; every leaf must pass `isLeaf`. Returns the leaves in order, or undefined when invalid.
 */
function flattenNested<T extends CiValue>(
  list: readonly CiValue[],
  levels: number,
  isLeaf: (item: CiValue) => item is T,
): T[] | undefined {
  const leaves: T[] = [];
  const visit = (item: CiValue, remaining: number): boolean => {
    if (isLeaf(item)) {
      leaves.push(item);
      return true;
    }
    if (remaining <= 0 || !isSeq(item)) return false;
    return item.every((child) => visit(child, remaining - 1));
  };
  return list.every((item) => visit(item, levels - 1)) ? leaves : undefined;
}
