/**
 * Source positions for nodes of the value tree. Positions are attached to the map and sequence
 * objects themselves (and to map keys), so a node keeps its position when it is moved between
 * configurations by includes, `extends` or `!reference`; a node built by merging takes the
 * position of the node it was built from (see `copyLocation`).
 */
import type { SourceLocation } from '../errors.js';
import type { CiMap, CiSeq, CiReferenceTag } from './value.js';

type Located = CiMap | CiSeq | CiReferenceTag;

// WeakMaps attach metadata to objects without changing their shape or keeping them alive;
// they are never reset, so they are not hidden state in the sense STYLE.md warns about.
const nodeLocations = new WeakMap<object, SourceLocation>();
const keyLocations = new WeakMap<object, Map<string, SourceLocation>>();

export function setLocation(node: Located, location: SourceLocation): void {
  nodeLocations.set(node, location);
}

export function locationOf(node: unknown): SourceLocation | undefined {
  return typeof node === 'object' && node !== null ? nodeLocations.get(node) : undefined;
}

export function setKeyLocation(map: CiMap, key: string, location: SourceLocation): void {
  let keys = keyLocations.get(map);
  if (keys === undefined) {
    keys = new Map();
    keyLocations.set(map, keys);
  }
  keys.set(key, location);
}

/** Where `key` was written in `map`, else where the map itself starts. */
export function locationOfKey(map: CiMap, key: string): SourceLocation | undefined {
  return keyLocations.get(map)?.get(key) ?? nodeLocations.get(map);
}

/** Carries positions from `from` to a node derived from it (a merge result or a copy). */
export function copyLocation<T extends Located>(from: Located, to: T): T {
  const location = nodeLocations.get(from);
  if (location !== undefined && !nodeLocations.has(to)) nodeLocations.set(to, location);
  const keys = keyLocations.get(from);
  if (keys !== undefined && !Array.isArray(to)) {
    const target = keyLocations.get(to) ?? new Map<string, SourceLocation>();
    for (const [key, keyLocation] of keys) if (!target.has(key)) target.set(key, keyLocation);
    keyLocations.set(to, target);
  }
  return to;
}
