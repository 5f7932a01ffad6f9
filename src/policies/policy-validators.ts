/**
 * The policy schema validators, compiled at run time on first use. This is what runs from the
 * sources (tests, tsx); `npm run build` replaces this module in dist/ by one with the same exports
 * that loads code ajv generated at build time (src/build/compile-validators.ts), so the shipped
 * CLI neither loads ajv's compiler nor spends ~150 ms compiling the schema in every pipeline.
 * Keep the exports in line with POLICY_VALIDATOR_SCHEMAS: the build generates one per name.
 */
import type { ValidateFunction } from 'ajv';
import { compilePolicyValidator, type PolicyValidatorName } from './policy-ajv.js';

// Caches of pure functions of a constant schema: nothing ever resets or changes them.
const compiled = new Map<PolicyValidatorName, ValidateFunction>();

function validatorFor(name: PolicyValidatorName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    // Without codegen optimisation compiling takes half the time; policy files are small.
    validate = compilePolicyValidator(name, { optimize: false }).validate;
    compiled.set(name, validate);
  }
  return validate;
}

export function exactPolicyValidator(): ValidateFunction {
  return validatorFor('exactPolicyValidator');
}

export function closedPolicyValidator(): ValidateFunction {
  return validatorFor('closedPolicyValidator');
}
