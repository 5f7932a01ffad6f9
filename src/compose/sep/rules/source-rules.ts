/**
 * The source check of scan execution policy pipeline rules (gitlab-pep-sep.md §5.1 step 5;
 * GitLab's ScanExecutionPolicies::PipelineContext): the policy applies when the source is blank,
 * or some pipeline rule has no `pipeline_sources`, or some rule lists the source. GitLab checks
 * branches and sources separately over the rule list, so a branch match on rule A and a source
 * match on rule B count together; reproduced on purpose (select-actions.ts).
 */
import type { PipelineRule } from './read-scan-rules.js';

export interface SourceMatch {
  readonly matched: boolean;
  readonly rule: number | undefined;
  readonly reason: string;
}

export function matchSourceRules(rules: readonly PipelineRule[], source: string): SourceMatch {
  if (source === '') return { matched: true, rule: undefined, reason: 'the pipeline source is blank' };
  const open = rules.find((rule) => rule.pipelineSources.length === 0);
  if (open !== undefined) return { matched: true, rule: open.index, reason: `rule ${open.index} has no pipeline_sources (any source)` };
  const listing = rules.find((rule) => rule.pipelineSources.includes(source));
  if (listing !== undefined) return { matched: true, rule: listing.index, reason: `rule ${listing.index} lists pipeline source ${source}` };
  return { matched: false, rule: undefined, reason: `no rule lists pipeline source ${source} in pipeline_sources` };
}
