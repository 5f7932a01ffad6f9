/**
 * Typed reads of policy YAML that the JSON schema has already checked: a value of the wrong
 * kind reads as absent instead of being cast. Shared by every mapper of policy entries.
 */
import { isMap, isSeq, type CiMap, type CiValue } from '../ci/value.js';

export function stringAt(map: CiMap | undefined, key: string): string | undefined {
  const value = map?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function integerAt(map: CiMap | undefined, key: string): number | undefined {
  const value = map?.[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function booleanAt(map: CiMap | undefined, key: string): boolean | undefined {
  const value = map?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function mapAt(map: CiMap | undefined, key: string): CiMap | undefined {
  const value = map?.[key];
  return isMap(value) ? value : undefined;
}

export function seqAt(map: CiMap | undefined, key: string): CiValue[] {
  const value = map?.[key];
  return isSeq(value) ? value : [];
}

export function strings(items: readonly CiValue[]): string[] {
  return items.filter((item): item is string => typeof item === 'string');
}

export function integers(items: readonly CiValue[]): number[] {
  return items.filter((item): item is number => typeof item === 'number' && Number.isInteger(item));
}
