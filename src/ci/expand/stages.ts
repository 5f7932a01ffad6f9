/**
 * `stages:` (docs: "stages" in ci/yaml/_index; code: entry/stages.rb, edge_stages_injector.rb).
 * Without `stages:` GitLab uses build, test, deploy; `.pre` always runs first and `.post` last,
 * wherever a user lists them.
 */
import type { SourceLocation } from '../../errors.js';
import { isSeq, type CiValue } from '../value.js';
import { entryError } from './entry-error.js';

export const DEFAULT_STAGES: readonly string[] = ['build', 'test', 'deploy'];
export const PRE_STAGE = '.pre';
export const POST_STAGE = '.post';
/** A job without `stage:` runs in `test` (Entry::Stage default). */
export const DEFAULT_JOB_STAGE = 'test';

/** The reserved stages of pipeline execution policies, first and last of a policy pipeline. */
export const POLICY_PRE_STAGE = '.pipeline-policy-pre';
export const POLICY_POST_STAGE = '.pipeline-policy-post';

/**
 * `policyPipeline`: the configuration is a pipeline execution policy's, so the reserved stages
 * wrap the list (gitlab-pep-sep.md §3.2, ReservedStagesInjector). Elsewhere a user's copy of a
 * reserved name is removed, so a project job using one fails as an unknown stage.
 */
export function readStages(value: CiValue | undefined, location: SourceLocation | undefined, policyPipeline = false): string[] {
  const stages = readDeclaredStages(value, location).filter((stage) => stage !== POLICY_PRE_STAGE && stage !== POLICY_POST_STAGE);
  return policyPipeline ? [POLICY_PRE_STAGE, ...stages, POLICY_POST_STAGE] : stages;
}

function readDeclaredStages(value: CiValue | undefined, location: SourceLocation | undefined): string[] {
  if (value === undefined || value === null) return [PRE_STAGE, ...DEFAULT_STAGES, POST_STAGE];
  if (!isSeq(value) || !value.every((stage): stage is string => typeof stage === 'string')) {
    throw entryError('stages-format', 'stages', 'config should be an array of strings', location);
  }
  // EdgeStagesInjector leaves an empty list alone: no stage exists, so every job is refused.
  if (value.length === 0) return [];
  // EdgeStagesInjector.wrap_stages; duplicates are dropped, the first occurrence keeps its place.
  const declared = value.filter((stage) => stage !== PRE_STAGE && stage !== POST_STAGE);
  return [...new Set([PRE_STAGE, ...declared, POST_STAGE])];
}
