/**
 * The policy half of `validate`: a FILE at `.gitlab/security-policies/policy.yml`, or a DIR
 * holding one (a security policy project), is checked against the policy schema. Every problem
 * is printed as `file:line:column: message` (warnings as `...: warning: message`); only errors
 * make the file invalid.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { decodeUtf8 } from '../../ci/decode-utf8.js';
import { isSidecarError } from '../../errors.js';
import { formatPolicyProblem } from '../../policies/policy-problem.js';
import { findPolicyProblems, POLICY_FILE_PATH } from '../../policies/validate-policy-file.js';
import type { CliIo } from '../io.js';

export interface PolicyValidation {
  readonly lines: readonly string[];
  readonly failed: boolean;
}

/** Whether `path` names a policy file: …/.gitlab/security-policies/policy.yml. */
export function isPolicyFilePath(path: string): boolean {
  return path.split(sep).join('/').endsWith(`/${POLICY_FILE_PATH}`) || path === POLICY_FILE_PATH;
}

/** DIR/.gitlab/security-policies/policy.yml when DIR is a security policy project. */
export async function policyFileIn(dir: string): Promise<string | undefined> {
  const path = join(dir, POLICY_FILE_PATH);
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() === true ? path : undefined;
}

export async function validatePolicyFileAt(path: string, io: CliIo): Promise<PolicyValidation> {
  const shown = relative(io.cwd, path) || path;
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) return { lines: [`${shown}: cannot be read`], failed: true };
  let text: string;
  try {
    text = decodeUtf8(bytes, shown);
  } catch (error) {
    if (!isSidecarError(error) || error.location === undefined) throw error;
    return { lines: [formatPolicyProblem({ severity: 'error', code: error.code, policy: undefined, message: error.message, location: error.location })], failed: true };
  }
  const problems = findPolicyProblems(text, shown);
  const failed = problems.some((problem) => problem.severity === 'error');
  const lines = problems.map(formatPolicyProblem);
  return { lines: failed ? lines : [...lines, `${shown}: valid`], failed };
}
