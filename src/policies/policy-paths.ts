/**
 * Names and places for a JSON pointer into a parsed policy file: the policy it falls in
 * (`pipeline_execution_policy[1] "Compliance audit"`), the path inside it in YAML terms
 * (`content.include[0].file`), and the file:line:column of the key or node.
 */
import { locationOf, locationOfKey } from '../ci/positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../ci/value.js';
import type { SourceLocation } from '../errors.js';

export interface PointerPlace {
  /** The policy the pointer falls in, if any. */
  readonly policy: string | undefined;
  /** The path below the policy (or below the root), e.g. `content.include[0].file`; '' for the node itself. */
  readonly path: string;
}

/** `/a/0/b` → ['a', '0', 'b'] (RFC 6901 unescaping). */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The label of policy `index` of list `type`: `type[index] "name"` (the name when it is a non-empty string). */
export function policyLabel(root: CiMap, type: string, index: number): string {
  const list = root[type];
  const entry = isSeq(list) ? list[index] : undefined;
  const name = isMap(entry) ? entry['name'] : undefined;
  return typeof name === 'string' && name !== '' ? `${type}[${index}] "${name}"` : `${type}[${index}]`;
}

export function describePointer(root: CiMap, segments: readonly string[]): PointerPlace {
  const [type, index] = segments;
  const inPolicy = type !== undefined && index !== undefined && isSeq(root[type]) && /^\d+$/.test(index);
  if (!inPolicy) return { policy: undefined, path: yamlPath(root, segments) };
  const entry = (root[type] as CiValue[])[Number(index)]; // checked by isSeq above
  return { policy: policyLabel(root, type, Number(index)), path: yamlPath(entry, segments.slice(2)) };
}

/** Joins a path and a key in YAML terms: `content` + `include` → `content.include`. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function yamlPath(start: CiValue | undefined, segments: readonly string[]): string {
  let path = '';
  let value = start;
  for (const segment of segments) {
    if (isSeq(value)) {
      path += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      path = joinPath(path, segment);
      value = isMap(value) ? value[segment] : undefined;
    }
  }
  return path;
}

/**
 * Where the node at `segments` is written. `at: 'key'` prefers the key that holds it (for
 * messages about its value); `at: 'node'` prefers the node itself (for messages about its
 * contents, such as a missing key). Scalars inside lists have no position of their own: the
 * list's is used.
 */
export function locatePointer(root: CiMap, segments: readonly string[], file: string, at: 'key' | 'node'): SourceLocation {
  let parent: CiValue | undefined;
  let value: CiValue | undefined = root;
  for (const segment of segments) {
    parent = value;
    value = isSeq(value) ? value[Number(segment)] : isMap(value) ? value[segment] : undefined;
  }
  const last = segments[segments.length - 1];
  const ownLocation = locationOf(value);
  const keyLocation = isMap(parent) && last !== undefined ? locationOfKey(parent, last) : undefined;
  const found = at === 'node' ? (ownLocation ?? keyLocation) : (keyLocation ?? ownLocation);
  return found ?? locationOf(parent) ?? locationOf(root) ?? { file };
}

/** Where `key` of the map at `segments` is written. */
export function locateKey(root: CiMap, segments: readonly string[], key: string, file: string): SourceLocation {
  let value: CiValue | undefined = root;
  for (const segment of segments) value = isSeq(value) ? value[Number(segment)] : isMap(value) ? value[segment] : undefined;
  return (isMap(value) ? locationOfKey(value, key) : undefined) ?? locatePointer(root, segments, file, 'node');
}
