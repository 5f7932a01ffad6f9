/**
 * Zero policies is never silent (issue #11): a run that reads no policy at all, because no
 * security policy project was given or linked, or because the ones given hold none, enforces
 * nothing, and looks like a success. The report and standard error say so every time; the
 * commands whose result is enforcement (compose writing a pipeline, evaluate gating a merge)
 * refuse it unless --allow-no-policies says it is intended (cli/no-policies-rule.ts).
 */
import type { PolicyFile } from './types.js';

export const NO_POLICIES = 'no-policies';

export interface NoPoliciesFinding {
  readonly code: typeof NO_POLICIES;
  readonly message: string;
}

/** What is wrong when `files` hold no policy of any type (enabled or not); undefined otherwise. */
export function findNoPolicies(files: readonly PolicyFile[]): NoPoliciesFinding | undefined {
  if (files.some((file) => file.policies.length > 0)) return undefined;
  const message =
    files.length === 0
      ? 'no security policy project was given or linked, so no policy is enforced'
      : `security policy project${files.length === 1 ? '' : 's'} ${files.map((file) => file.policyProject.path).join(', ')} hold${files.length === 1 ? 's' : ''} no policies, so no policy is enforced`;
  return { code: NO_POLICIES, message };
}
