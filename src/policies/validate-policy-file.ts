/**
 * Reads one `.gitlab/security-policies/policy.yml`: YAML with positions (ci/parse.ts, so YAML
 * 1.1 as GitLab's Psych reads it, with the same alias and size limits), then the JSON schema
 * (policy-schema.ts), then the checks a schema cannot express. `findPolicyProblems` lists every
 * problem for `validate`; `validatePolicyFile` stops at the first error, fail closed.
 */
import { parseCiFile } from '../ci/parse.js';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { locationOf } from '../ci/positions.js';
import { CiReferenceTag, isMap, isSeq, type CiMap, type CiValue } from '../ci/value.js';
import { isSidecarError, PolicyError } from '../errors.js';
import { mapPolicyFile } from './map-policies.js';
import { sortPolicyProblems, type PolicyProblem } from './policy-problem.js';
import { checkPolicySemantics } from './policy-semantic-checks.js';
import { describeSchemaErrors, describeUnknownKeys } from './schema-errors.js';
import { checkPolicySchema } from './schema-validator.js';
import type { PolicyFile, PolicyProjectRef } from './types.js';

export const POLICY_FILE_PATH = '.gitlab/security-policies/policy.yml';

interface CheckedPolicyFile {
  /** The parsed file; undefined when it is not even YAML. */
  readonly root: CiMap | undefined;
  /** Every problem, in file order. */
  readonly problems: readonly PolicyProblem[];
}

/** Every problem of a policy file, errors and warnings, in file order. `file` names it in locations. */
export function findPolicyProblems(text: string, file: string): PolicyProblem[] {
  return [...checkPolicyFile(text, file, true).problems];
}

/** The policy file as types, or a PolicyError for its first error (the hint counts the others). */
export function validatePolicyFile(text: string, file: string, policyProject: PolicyProjectRef): PolicyFile {
  const { root, problems } = checkPolicyFile(text, file, false);
  const errors = problems.filter((problem) => problem.severity === 'error');
  const [first] = errors;
  if (first !== undefined || root === undefined) {
    const others = errors.length - 1;
    throw new PolicyError(first?.code ?? 'policy-schema', first?.message ?? `${file} is not a policy file`, {
      location: first?.location ?? { file },
      hint:
        others > 0
          ? `${others} more problem${others === 1 ? '' : 's'} in this file; run policy-sidecar validate on the policy project to see every one.`
          : 'Fix the policy file in the security policy project (see docs/policies.md).',
    });
  }
  return mapPolicyFile(root, file, policyProject);
}

/** `withWarnings` false skips the unknown-key check, which only `validate` shows. */
function checkPolicyFile(text: string, file: string, withWarnings: boolean): CheckedPolicyFile {
  let root: CiMap;
  try {
    const parsed = parseCiFile(text, file, DEFAULT_LIMITS);
    if (parsed.spec !== undefined) {
      return failed(file, 'policy-yaml', `${file} must hold one YAML document, not a spec: header and content`, locationOf(parsed.spec));
    }
    root = parsed.content;
  } catch (error) {
    // The parser speaks of CI configuration; here the same problems are the policy file's.
    if (!isSidecarError(error) || error.kind !== 'config') throw error;
    return failed(file, error.code, error.message, error.location);
  }
  const reference = findReferenceTag(root);
  if (reference !== undefined) {
    return failed(file, 'policy-yaml', '!reference tags are not allowed in policy.yml', locationOf(reference), root);
  }
  const check = checkPolicySchema(root, { unknownKeys: withWarnings });
  const problems = [
    ...describeSchemaErrors(check.errors, root, file),
    ...describeUnknownKeys(check.unknownKeys, root, file),
    ...checkPolicySemantics(root, file),
  ];
  return { root, problems: sortPolicyProblems(problems) };
}

function failed(file: string, code: string, message: string, location: PolicyProblem['location'] | undefined, root?: CiMap): CheckedPolicyFile {
  return { root, problems: [{ severity: 'error', code, message, location: location ?? { file }, policy: undefined }] };
}

function findReferenceTag(value: CiValue): CiReferenceTag | undefined {
  if (value instanceof CiReferenceTag) return value;
  const children = isSeq(value) ? value : isMap(value) ? Object.values(value) : [];
  for (const child of children) {
    const found = findReferenceTag(child);
    if (found !== undefined) return found;
  }
  return undefined;
}
