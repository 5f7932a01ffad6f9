/**
 * Building new CI maps from old ones without losing what the old ones carried: keys that are
 * plain data even when they read `__proto__`, and source positions (see ../positions.ts).
 */
import { copyLocation } from '../positions.js';
import { setEntry, type CiMap, type CiValue } from '../value.js';

/** Sets `key` as an own, plain data property, so keys like `__proto__` stay data. */
export function setMapEntry(map: CiMap, key: string, value: CiValue): void {
  setEntry(map, key, value);
}

export function hasMapEntry(map: CiMap, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** The value of an own key; `undefined` when the key is absent (never an inherited property). */
export function readMapEntry(map: CiMap, key: string): CiValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** A copy of `map` without `keys`, keeping the positions of the map and of its remaining keys. */
export function omitMapEntries(map: CiMap, keys: readonly string[]): CiMap {
  if (!keys.some((key) => Object.hasOwn(map, key))) return map;
  const copy: CiMap = {};
  for (const [key, value] of Object.entries(map)) if (!keys.includes(key)) setMapEntry(copy, key, value);
  return copyLocation(map, copy);
}
