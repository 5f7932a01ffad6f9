/**
 * Pipeline execution policies merged into the project pipeline (gitlab-pep-sep.md §3):
 * stage merging, job-name suffixes and strategies. Pure: resolved pipelines in, one pipeline out.
 */
export { composeWithPolicies, emptyComposedPipeline } from './compose-pep.js';
export { mergePolicyJobs, suffixedJobName, type JobMergeBase, type JobMergeResult, type PolicyJobMerge } from './merge-jobs.js';
export {
  defaultWrappedStages,
  mergeInjectStages,
  mergeOverrideStages,
  wrapReservedStages,
  type PolicyStages,
} from './stages.js';
