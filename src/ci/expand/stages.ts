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

export function readStages(value: CiValue | undefined, location: SourceLocation | undefined): string[] {
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
