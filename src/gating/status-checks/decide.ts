/**
 * The status-check verdict (SPEC §4 "External status checks"), pure: `passed` only when every
 * required policy job of the composed child pipeline ran and succeeded on exactly the head
 * commit; `failed` when one failed, was skipped or is missing, when a scan execution policy
 * applied without a job ("applied, no jobs" in the report), or when the head commit has no
 * composed pipeline (the `[skip ci]` gap); `pending` while there is still something to wait for.
 * A pending verdict becomes `failed` (`timed-out`) once the caller's wait is over.
 */
import type { JobFacts, PipelineFacts, RequiredJobOutcome, StatusCheckFacts, Verdict, VerdictReason } from './facts.js';

export interface DecideOptions {
  /** The service stopped waiting for this commit: what is still pending fails. */
  readonly waitExpired: boolean;
}

// GitLab's skip pattern (Ci::Pipeline::Chain::Skip), as in compose/pipeline-source.ts.
const SKIP_PATTERN = /\[(ci[ _-]skip|skip[ _-]ci)\]/i;

/** Statuses of a job or pipeline that has not finished (docs "api/jobs"). */
const ACTIVE = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled', 'canceling']);
const UNSUCCESSFUL = new Set(['failed', 'canceled', 'skipped']);

export function hasSkipCiMarker(message: string): boolean {
  return SKIP_PATTERN.test(message);
}

export function decideStatusCheck(facts: StatusCheckFacts, options: DecideOptions): Verdict {
  const verdict = decide(facts);
  if (verdict.status !== 'pending' || !options.waitExpired) return verdict;
  return { ...verdict, status: 'failed', reason: 'timed-out', detail: `gave up waiting: ${verdict.detail}` };
}

function decide(facts: StatusCheckFacts): Verdict {
  const head = short(facts.headSha);
  const skipped = hasSkipCiMarker(facts.headCommitMessage);
  const { pipeline } = facts;
  if (pipeline === undefined || !runsHead(pipeline, facts.headSha)) {
    if (skipped) return verdict('failed', 'skip-ci', `head commit ${head} has [skip ci]: no composed pipeline ran the policy jobs`);
    const what = pipeline === undefined ? 'the merge request has no pipeline yet' : `its head pipeline #${pipeline.id} ran ${short(pipeline.sha)}`;
    // Pushing sends the status-check request before GitLab has created the new pipeline.
    return verdict('pending', 'waiting-for-pipeline', `waiting for a pipeline of head commit ${head}: ${what}`);
  }
  const { bridge } = facts;
  if (bridge === undefined) {
    if (skipped) return verdict('failed', 'skip-ci', `head commit ${head} has [skip ci]: pipeline #${pipeline.id} has no composed pipeline`);
    return verdict('failed', 'child-pipeline-missing', `pipeline #${pipeline.id} of ${head} has no composed pipeline (no trigger job)`);
  }
  const child = bridge.child;
  if (child === undefined) {
    if (ACTIVE.has(bridge.status)) return verdict('pending', 'pipeline-running', `${bridge.name} has not started the composed pipeline yet (${bridge.status})`);
    return verdict('failed', 'child-pipeline-not-created', `${bridge.name} did not create the composed pipeline (${bridge.status})`);
  }
  if (child.sha !== pipeline.sha) {
    return verdict('failed', 'child-pipeline-not-for-head', `composed pipeline #${child.id} ran ${short(child.sha)}, not ${short(pipeline.sha)}`);
  }
  const required = facts.requiredJobs;
  if (required === undefined || required.kind === 'unknown') {
    const why = required?.why ?? 'not read';
    if (required?.stillComposing === true) return verdict('pending', 'pipeline-running', `waiting for the composed report: ${why}`);
    return verdict('failed', 'required-jobs-unknown', `the required policy jobs are unknown: ${why}`);
  }
  // "Applied, no jobs" is not a scan: the merge must not pass as if the policy were satisfied.
  const withoutJobs = required.scansWithoutJobs ?? [];
  if (withoutJobs.length > 0) return verdict('failed', 'scan-without-jobs', `scan execution policies applied but ran no job in composed pipeline #${child.id}: ${withoutJobs.join(', ')}`);
  if (required.names.length === 0) return verdict('passed', 'no-policy-jobs', `no policy job is required in composed pipeline #${child.id}`);
  return judgeJobs(required.names, facts.childJobs ?? [], ACTIVE.has(child.status), child.id);
}

function judgeJobs(names: readonly string[], jobs: readonly JobFacts[], childActive: boolean, childId: number): Verdict {
  const outcomes: RequiredJobOutcome[] = names.flatMap((name) => {
    const instances = jobs.filter((job) => isInstanceOf(job.name, name));
    return instances.length === 0 ? [{ name, status: 'missing' }] : instances.map((job) => ({ name: job.name, status: job.status }));
  });
  const named = (test: (outcome: RequiredJobOutcome) => boolean): string =>
    outcomes.filter(test).map((outcome) => `${outcome.name} (${outcome.status})`).join(', ');
  const isMissing = (outcome: RequiredJobOutcome): boolean => outcome.status === 'missing';
  const isUnsuccessful = (outcome: RequiredJobOutcome): boolean => UNSUCCESSFUL.has(outcome.status);
  const notRun = (outcome: RequiredJobOutcome): boolean => outcome.status === 'manual' && !childActive;
  const running = (outcome: RequiredJobOutcome): boolean => outcome.status !== 'success' && !isMissing(outcome) && !isUnsuccessful(outcome) && !notRun(outcome);
  if (outcomes.some(isUnsuccessful)) return verdict('failed', 'job-failed', `required policy jobs did not succeed: ${named(isUnsuccessful)}`, outcomes);
  if (outcomes.some(isMissing)) return verdict('failed', 'job-missing', `required policy jobs are not in composed pipeline #${childId}: ${named(isMissing)}`, outcomes);
  if (outcomes.some(notRun)) return verdict('failed', 'job-not-run', `required policy jobs were never run: ${named(notRun)}`, outcomes);
  // Unknown (newer) statuses wait too: the wait is bounded and then fails.
  if (outcomes.some(running)) return verdict('pending', 'pipeline-running', `waiting for required policy jobs: ${named(running)}`, outcomes);
  return verdict('passed', 'policy-jobs-passed', `all ${outcomes.length} required policy jobs succeeded in composed pipeline #${childId}`, outcomes);
}

/** `name`, or one of its `parallel:` copies: `name 2/3` or `name: [a, b]` (docs "ci/yaml" parallel). */
function isInstanceOf(jobName: string, name: string): boolean {
  if (jobName === name) return true;
  if (!jobName.startsWith(name)) return false;
  const rest = jobName.slice(name.length);
  return /^ \d+\/\d+$/.test(rest) || /^: \[.*\]$/.test(rest);
}

/** The same commit, or a merged results pipeline GitLab itself ties to the head commit. */
function runsHead(pipeline: PipelineFacts, headSha: string): boolean {
  return pipeline.sha === headSha || pipeline.runsHeadCommit;
}

function verdict(status: Verdict['status'], reason: VerdictReason, detail: string, jobs: readonly RequiredJobOutcome[] = []): Verdict {
  return { status, reason, detail, jobs };
}

function short(sha: string): string {
  return sha.slice(0, 8);
}
