/**
 * Two pipeline-wide questions answered before any policy is resolved: does this pipeline source
 * get policies at all, and may the commit's `[skip ci]` skip it.
 */
import type { Variables } from '../ci/context.js';
import type { PepPolicy } from './types.js';

/**
 * gitlab-pep-sep.md §3.9: GitLab's "dangling" sources get no pipeline execution policies
 * (Enums::Ci::Pipeline.dangling_sources); `parent_pipeline` is the one that matters here.
 */
const DANGLING_SOURCES = new Set([
  'parent_pipeline',
  'webide',
  'ondemand_dast_scan',
  'ondemand_dast_validation',
  'security_orchestration_policy',
  'container_registry_push',
  'duo_workflow',
  'pipeline_execution_policy_schedule',
]);

export function isDanglingSource(source: string): boolean {
  return DANGLING_SOURCES.has(source);
}

// GitLab's skip pattern (Ci::Pipeline::Chain::Skip): [ci skip] or [skip ci], any case, `-` or `_` too.
const SKIP_PATTERN = /\[(ci[ _-]skip|skip[ _-]ci)\]/i;

export interface SkipDecision {
  readonly skip: boolean;
  readonly reason: string;
}

/**
 * §3.10: with no policy, `[skip ci]` skips the pipeline; with policies, the skip is honoured only
 * when every applicable policy allows it for the triggering user (absent skip_ci: not allowed).
 */
export function decideSkipCi(predefined: Variables, policies: readonly PepPolicy[]): SkipDecision {
  const message = predefined['CI_COMMIT_MESSAGE'] ?? '';
  if (!SKIP_PATTERN.test(message)) return { skip: false, reason: 'no [skip ci] in the commit message' };
  if (policies.length === 0) return { skip: true, reason: 'the commit message asks to skip CI' };
  const user = Number(predefined['GITLAB_USER_ID'] ?? Number.NaN);
  const refusing = policies.filter(({ policy }) => {
    const setting = policy.skipCi;
    if (setting === undefined) return true;
    return !setting.allowed && !setting.allowlistUsers.includes(user);
  });
  if (refusing.length === 0) return { skip: true, reason: 'the commit message asks to skip CI and every policy allows it' };
  const names = refusing.map(({ policy }) => `"${policy.name}"`).join(', ');
  return { skip: false, reason: `[skip ci] ignored: not allowed by ${names}` };
}
