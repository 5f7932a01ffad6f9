/**
 * The zero-policies rule at the edge (see policies/no-policies.ts): always a warning on standard
 * error; an error (exit 2) where the command's result is enforcement, unless --allow-no-policies.
 * This is the general rule; a policy project that is linked but cannot be read is a different
 * failure (a source error), whatever this flag says.
 */
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

export const ALLOW_NO_POLICIES_HINT =
  'Pass --policy-project PATH (in workspace mode, a project folder holding .gitlab/security-policies/policy.yml), link a security policy project to the project or a group in GitLab, or pass --allow-no-policies if running without policies is intended. A linked policy project the token cannot read looks to GitLab like no link: give the token the Reporter role on every linked policy project (Secure > Policies shows the link).';

export function applyNoPoliciesRule(finding: { readonly code: string; readonly message: string } | undefined, options: { readonly enforced: boolean; readonly allowed: boolean }, io: CliIo): void {
  if (finding === undefined) return;
  if (options.enforced && !options.allowed) {
    throw new UsageError(finding.code, finding.message, { hint: ALLOW_NO_POLICIES_HINT });
  }
  writeWarning(io, finding);
}

/** A warning on standard error: a JSON log line in CI (CI=true), where every line is one. */
export function writeWarning(io: CliIo, warning: { readonly code: string; readonly message: string }): void {
  if (io.env['CI'] === 'true') {
    // The line pino writes at warn level, without loading pino (start-up: docs/performance.md).
    io.stderr.write(`${JSON.stringify({ level: 40, time: new Date().toISOString(), code: warning.code, msg: warning.message })}\n`);
  } else {
    io.stderr.write(`policy-sidecar: WARNING: ${warning.message}\n`);
  }
}
