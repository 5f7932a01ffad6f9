/**
 * The value tree that every CI configuration is turned into: plain data, plus the `!reference`
 * tag as its own node type so that it survives includes and `extends` until it is resolved.
 * Source positions are kept beside the tree (see positions.ts), so values stay plain objects.
 */

export type CiScalar = string | number | boolean | null;

export interface CiMap {
  [key: string]: CiValue;
}

export type CiSeq = CiValue[];

export type CiValue = CiScalar | CiSeq | CiMap | CiReferenceTag;

/** `!reference [.job, script]`: a path into the merged configuration, resolved after `extends`. */
export class CiReferenceTag {
  constructor(readonly path: readonly string[]) {}
}

/**
 * Sets `key` as an own, plain data property of a map, so that a key like `__proto__` stays data.
 * Plain assignment does the same for every other key (Object.prototype has no other setter) and
 * is much cheaper than defineProperty, which allocates a descriptor per key.
 */
export function setEntry(map: CiMap, key: string, value: CiValue): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

export function isMap(value: CiValue | undefined): value is CiMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof CiReferenceTag)
  );
}

export function isSeq(value: CiValue | undefined): value is CiSeq {
  return Array.isArray(value);
}

export function isScalar(value: CiValue | undefined): value is CiScalar {
  return value === null || (typeof value !== 'object' && value !== undefined);
}

/** GitLab's name for a value's type in messages: "hash", "array", "string"... */
export function describeType(value: CiValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof CiReferenceTag) return '!reference';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'hash';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return typeof value;
}

/** A CI scalar as the string GitLab would see after loading (variables, script lines). */
export function scalarToString(value: CiScalar): string {
  if (value === null) return '';
  return String(value);
}
