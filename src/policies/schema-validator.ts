/**
 * Runs the policy schema with ajv. Two validators: the schema as GitLab has it (its errors are
 * errors), and a copy in which every open object is closed (`additionalProperties: false`), whose
 * extra "unknown key" errors become warnings: GitLab ignores unknown keys in a policy entry, so
 * refusing them would refuse files GitLab accepts, but a typo such as `sufix:` deserves a word.
 */
import type { ErrorObject } from 'ajv';
import { closedPolicyValidator, exactPolicyValidator } from './policy-validators.js';

export interface SchemaCheck {
  /** Violations of the schema as GitLab has it. */
  readonly errors: readonly ErrorObject[];
  /** Keys GitLab would ignore (additionalProperties errors of the closed copy only). */
  readonly unknownKeys: readonly ErrorObject[];
}

/** Validates `data`; `unknownKeys` are looked for only when asked (`validate` shows them, loading does not). */
export function checkPolicySchema(data: unknown, options: { readonly unknownKeys: boolean }): SchemaCheck {
  const exact = exactPolicyValidator();
  const errors = exact(data) ? [] : [...(exact.errors ?? [])];
  if (!options.unknownKeys) return { errors, unknownKeys: [] };
  const closed = closedPolicyValidator();
  if (closed(data)) return { errors, unknownKeys: [] };
  const known = new Set(errors.filter((error) => error.keyword === 'additionalProperties').map(unknownKeyId));
  const unknownKeys = (closed.errors ?? []).filter(
    (error) => error.keyword === 'additionalProperties' && !insideCombinator(error.schemaPath) && !known.has(unknownKeyId(error)),
  );
  return { errors, unknownKeys };
}

function unknownKeyId(error: ErrorObject): string {
  const key: unknown = error.params['additionalProperty'];
  return `${error.instancePath}/${String(key)}`;
}

/** Errors under anyOf/oneOf/if branches are not about the document as it stands. */
function insideCombinator(schemaPath: string): boolean {
  return /\/(anyOf|oneOf|if|then|else|not)(\/|$)/.test(schemaPath);
}
