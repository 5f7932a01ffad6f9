/**
 * Runs the policy schema with ajv. Two validators: the schema as GitLab has it (its errors are
 * errors), and a copy in which every open object is closed (`additionalProperties: false`), whose
 * extra "unknown key" errors become warnings: GitLab ignores unknown keys in a policy entry, so
 * refusing them would refuse files GitLab accepts, but a typo such as `sufix:` deserves a word.
 */
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { policySchema } from './policy-schema.js';

export interface SchemaCheck {
  /** Violations of the schema as GitLab has it. */
  readonly errors: readonly ErrorObject[];
  /** Keys GitLab would ignore (additionalProperties errors of the closed copy only). */
  readonly unknownKeys: readonly ErrorObject[];
}

// Each compiled once per process, on first use (compiling takes tens of milliseconds; loading
// policies for a pipeline needs only the first). Caches of pure functions of a constant:
// nothing ever resets or changes them.
let exactValidator: ValidateFunction | undefined;
let closedValidator: ValidateFunction | undefined;

/** Validates `data`; `unknownKeys` are looked for only when asked (`validate` shows them, loading does not). */
export function checkPolicySchema(data: unknown, options: { readonly unknownKeys: boolean }): SchemaCheck {
  exactValidator ??= compile(policySchema);
  const errors = exactValidator(data) ? [] : [...(exactValidator.errors ?? [])];
  if (!options.unknownKeys) return { errors, unknownKeys: [] };
  closedValidator ??= compile(closeOpenObjects(policySchema));
  const closed = closedValidator;
  if (closed(data)) return { errors, unknownKeys: [] };
  const known = new Set(errors.filter((error) => error.keyword === 'additionalProperties').map(unknownKeyId));
  const unknownKeys = (closed.errors ?? []).filter(
    (error) => error.keyword === 'additionalProperties' && !insideCombinator(error.schemaPath) && !known.has(unknownKeyId(error)),
  );
  return { errors, unknownKeys };
}

function compile(schema: unknown): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true, // errors carry parentSchema, where errorMessage annotations are read
    strict: true,
    strictTypes: false, // `required`-only branches of anyOf/oneOf have no `type`, as in GitLab's schema
    strictRequired: false,
    // Without codegen optimisation compiling takes half the time; policy files are small, so
    // the slower validation does not show.
    code: { optimize: false },
  });
  ajv.addKeyword('errorMessage');
  // The schema is an object literal of ours; ajv's type for it is an open record.
  return ajv.compile(schema as AnySchemaObject);
}

function unknownKeyId(error: ErrorObject): string {
  const key: unknown = error.params['additionalProperty'];
  return `${error.instancePath}/${String(key)}`;
}

/** Errors under anyOf/oneOf/if branches are not about the document as it stands. */
function insideCombinator(schemaPath: string): boolean {
  return /\/(anyOf|oneOf|if|then|else|not)(\/|$)/.test(schemaPath);
}

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
