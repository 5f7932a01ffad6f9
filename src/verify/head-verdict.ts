/**
 * A merge request's head commit without a pipeline to verify: `[skip ci]` (or CI turned off)
 * left no pipeline, so nothing proves the policies ran: failed. Without the marker the pipeline
 * may not exist yet (GitLab sends the merge request event first): pending, verified when it ends.
 */
import { check, verdictOf, type Verdict } from './verdict.js';

// GitLab's skip pattern (Ci::Pipeline::Chain::Skip), as in compose/pipeline-source.ts.
const SKIP_PATTERN = /\[(ci[ _-]skip|skip[ _-]ci)\]/i;

export function verdictWithoutPipeline(project: string, sha: string, commitMessage: string): Verdict {
  const subject = { project, pipeline: null, sha };
  if (SKIP_PATTERN.test(commitMessage)) {
    return verdictOf(subject, [check('head-pipeline', false, `head commit ${sha.slice(0, 8)} has [skip ci]: no pipeline ran the policies for it. Push a commit without [skip ci] (or run a pipeline for it).`)]);
  }
  return verdictOf(subject, [], `no pipeline of head commit ${sha.slice(0, 8)} yet: verified when one ends`);
}
