/**
 * How the policy schema is compiled, in one place for both ways of compiling it: at run time
 * from the sources (policy-validators.ts, what tests run), and at build time into standalone
 * code (src/build/compile-validators.ts, what dist/ ships), so both validate alike.
 */
import { Ajv, type AnySchemaObject, type CodeOptions, type ValidateFunction } from 'ajv';
import { closeOpenObjects } from './closed-policy-schema.js';
import { policySchema } from './policy-schema.js';

export type PolicyValidatorName = 'exactPolicyValidator' | 'closedPolicyValidator';

/** The schema as GitLab has it, and the copy with every open object closed (unknown keys). */
export const POLICY_VALIDATOR_SCHEMAS: Readonly<Record<PolicyValidatorName, () => unknown>> = {
  exactPolicyValidator: () => policySchema,
  closedPolicyValidator: () => closeOpenObjects(policySchema),
};

export function compilePolicyValidator(name: PolicyValidatorName, code: CodeOptions = {}): { readonly ajv: Ajv; readonly validate: ValidateFunction } {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true, // errors carry parentSchema, where errorMessage annotations are read
    strict: true,
    strictTypes: false, // `required`-only branches of anyOf/oneOf have no `type`, as in GitLab's schema
    strictRequired: false,
    code,
  });
  ajv.addKeyword('errorMessage');
  // The schema is an object literal of ours; ajv's type for it is an open record.
  return { ajv, validate: ajv.compile(POLICY_VALIDATOR_SCHEMAS[name]() as AnySchemaObject) };
}
