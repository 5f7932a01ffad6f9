/**
 * The closed copy of the policy schema, whose extra "unknown key" errors become warnings (see
 * schema-validator.ts). Kept apart from ajv so the shipped validators can be built from it.
 */

/** A copy of the schema in which every object with `properties` but no rule for other keys is closed. */
export function closeOpenObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeOpenObjects);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // `if` schemas are conditions: closing them would change which branch applies.
    copy[key] = key === 'if' ? value : closeOpenObjects(value);
  }
  const isOpenObject = copy['type'] === 'object' && 'properties' in copy && !('additionalProperties' in copy) && !('patternProperties' in copy);
  if (isOpenObject) copy['additionalProperties'] = false;
  return copy;
}
