/** The status-check verdict table: one row per behaviour, every reason at least once. */
import { describe, expect, it } from 'vitest';
import { decideStatusCheck, hasSkipCiMarker } from '../../src/gating/status-checks/decide.js';
import type { JobFacts, StatusCheckFacts, StatusCheckStatus, VerdictReason } from '../../src/gating/status-checks/facts.js';
import { requiredJobsFromReport } from '../../src/gating/status-checks/required-jobs.js';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

/** A head pipeline whose composed child ran `jobs`, with `scan` the one required policy job. */
function composed(jobs: readonly JobFacts[], childStatus = 'success'): StatusCheckFacts {
  return {
    headSha: HEAD,
    headCommitMessage: 'Add feature',
    pipeline: { id: 1, projectId: 7, sha: HEAD, ref: 'feature', status: childStatus, runsHeadCommit: false },
    bridge: { name: 'policy:pipeline', status: childStatus, child: { id: 2, projectId: 7, sha: HEAD, status: childStatus } },
    requiredJobs: { kind: 'known', names: ['scan'], from: 'report' },
    childJobs: jobs,
  };
}

const none: StatusCheckFacts = { headSha: HEAD, headCommitMessage: 'Add feature', pipeline: undefined, bridge: undefined, requiredJobs: undefined, childJobs: undefined };
const base = composed([{ name: 'scan', status: 'success' }]);

const cases: readonly (readonly [string, StatusCheckFacts, StatusCheckStatus, VerdictReason])[] = [
  ['every required job succeeded', base, 'passed', 'policy-jobs-passed'],
  ['project jobs do not count', composed([{ name: 'scan', status: 'success' }, { name: 'unit', status: 'failed' }]), 'passed', 'policy-jobs-passed'],
  ['parallel copies all succeeded', composed([{ name: 'scan 1/2', status: 'success' }, { name: 'scan 2/2', status: 'success' }]), 'passed', 'policy-jobs-passed'],
  ['one parallel copy failed', composed([{ name: 'scan: [a]', status: 'success' }, { name: 'scan: [b]', status: 'failed' }]), 'failed', 'job-failed'],
  ['no policy job is required', { ...base, requiredJobs: { kind: 'known', names: [], from: 'report' } }, 'passed', 'no-policy-jobs'],
  ['a scan execution policy applied with no job', { ...base, requiredJobs: { kind: 'known', names: ['scan'], from: 'report', scansWithoutJobs: ['"Secrets" (secret-detection-0: no rule matched)'] } }, 'failed', 'scan-without-jobs'],
  ['a scan execution policy applied with no job, and no policy job required', { ...base, requiredJobs: { kind: 'known', names: [], from: 'report', scansWithoutJobs: ['"Secrets"'] } }, 'failed', 'scan-without-jobs'],
  ['a required job failed', composed([{ name: 'scan', status: 'failed' }]), 'failed', 'job-failed'],
  ['a required job was skipped', composed([{ name: 'scan', status: 'skipped' }]), 'failed', 'job-failed'],
  ['a required job was canceled', composed([{ name: 'scan', status: 'canceled' }], 'canceled'), 'failed', 'job-failed'],
  ['a required job is missing', composed([{ name: 'scanner', status: 'success' }]), 'failed', 'job-missing'],
  ['a manual required job never ran', composed([{ name: 'scan', status: 'manual' }], 'manual'), 'failed', 'job-not-run'],
  ['a manual required job while the pipeline runs', composed([{ name: 'scan', status: 'manual' }], 'running'), 'pending', 'pipeline-running'],
  ['a required job is running', composed([{ name: 'scan', status: 'running' }], 'running'), 'pending', 'pipeline-running'],
  ['a failure wins over a running job', { ...composed([{ name: 'scan', status: 'running' }, { name: 'lint', status: 'failed' }], 'running'), requiredJobs: { kind: 'known', names: ['scan', 'lint'], from: 'configuration' } }, 'failed', 'job-failed'],
  ['an unknown job status waits', composed([{ name: 'scan', status: 'some_future_status' }], 'running'), 'pending', 'pipeline-running'],
  ['no pipeline yet', none, 'pending', 'waiting-for-pipeline'],
  ['[skip ci] and no pipeline', { ...none, headCommitMessage: 'Docs [skip ci]' }, 'failed', 'skip-ci'],
  ['[ci-skip] and an older pipeline', { ...none, headCommitMessage: 'Docs [CI-SKIP]', pipeline: { ...base.pipeline!, sha: OLD } }, 'failed', 'skip-ci'],
  ['[skip ci] and a skipped pipeline without the bridge', { ...base, headCommitMessage: 'x [skip_ci]', bridge: undefined }, 'failed', 'skip-ci'],
  ['the head pipeline ran an older commit', { ...base, pipeline: { ...base.pipeline!, sha: OLD } }, 'pending', 'waiting-for-pipeline'],
  ['a merged results pipeline GitLab ties to the head', { ...base, pipeline: { ...base.pipeline!, sha: OLD, runsHeadCommit: true }, bridge: { ...base.bridge!, child: { ...base.bridge!.child!, sha: OLD } } }, 'passed', 'policy-jobs-passed'],
  ['the pipeline has no compose bridge', { ...base, bridge: undefined }, 'failed', 'child-pipeline-missing'],
  ['the bridge has not created the child yet', { ...base, bridge: { name: 'policy:pipeline', status: 'created', child: undefined } }, 'pending', 'pipeline-running'],
  ['the bridge failed without a child (compose failed)', { ...base, bridge: { name: 'policy:pipeline', status: 'skipped', child: undefined } }, 'failed', 'child-pipeline-not-created'],
  ['the child ran another commit', { ...base, bridge: { ...base.bridge!, child: { ...base.bridge!.child!, sha: OLD } } }, 'failed', 'child-pipeline-not-for-head'],
  ['the report is still being written', { ...base, requiredJobs: { kind: 'unknown', why: 'policy:compose is running', stillComposing: true } }, 'pending', 'pipeline-running'],
  ['the report cannot be read', { ...base, requiredJobs: { kind: 'unknown', why: 'no artifact', stillComposing: false } }, 'failed', 'required-jobs-unknown'],
];

describe('decideStatusCheck', () => {
  it.each(cases)('%s', (_name, facts, status, reason) => {
    const verdict = decideStatusCheck(facts, { waitExpired: false });
    expect({ status: verdict.status, reason: verdict.reason }).toEqual({ status, reason });
  });

  it('fails what is still pending once the wait is over, and keeps settled verdicts', () => {
    expect(decideStatusCheck(composed([{ name: 'scan', status: 'running' }], 'running'), { waitExpired: true })).toMatchObject({
      status: 'failed',
      reason: 'timed-out',
      detail: 'gave up waiting: waiting for required policy jobs: scan (running)',
    });
    expect(decideStatusCheck(base, { waitExpired: true }).status).toBe('passed');
  });

  it('names the required jobs and their statuses', () => {
    expect(decideStatusCheck(composed([{ name: 'scan', status: 'failed' }]), { waitExpired: false })).toEqual({
      status: 'failed',
      reason: 'job-failed',
      detail: 'required policy jobs did not succeed: scan (failed)',
      jobs: [{ name: 'scan', status: 'failed' }],
    });
  });
});

describe('hasSkipCiMarker (Ci::Pipeline::Chain::Skip)', () => {
  it.each(['[skip ci]', '[ci skip]', '[SKIP-CI]', 'x [ci_skip] y'])('%s skips', (message) => expect(hasSkipCiMarker(message)).toBe(true));
  it.each(['skip ci', '[skip  ci]', '[skipci]'])('%s does not', (message) => expect(hasSkipCiMarker(message)).toBe(false));
});

describe('requiredJobsFromReport', () => {
  it('takes the jobs whose origin is policy', () => {
    const report = { version: 1, jobs: [{ name: 'scan', origin: 'policy' }, { name: 'unit', origin: 'project' }, { name: 'policy:barrier', origin: 'sidecar' }] };
    expect(requiredJobsFromReport(report, 'policy-report.json')).toEqual({ kind: 'known', names: ['scan'], from: 'report' });
  });

  it('names the scan execution policies that applied with no job (not pipeline execution policies: their own rules chose)', () => {
    const report = {
      version: 1,
      jobs: [{ name: 'audit', origin: 'policy' }],
      policies: [
        { name: 'Secrets', type: 'scan_execution_policy', applied: true, outcome: 'applied-no-jobs', droppedBy: ['secret-detection-0: no rule matched'] },
        { name: 'SAST', type: 'scan_execution_policy', applied: true, outcome: 'applied', droppedBy: [] },
        { name: 'Deploy checks', type: 'pipeline_execution_policy', applied: true, outcome: 'applied-no-jobs', droppedBy: ['verify: no rule matched'] },
      ],
    };
    expect(requiredJobsFromReport(report, 'policy-report.json')).toEqual({ kind: 'known', names: ['audit'], from: 'report', scansWithoutJobs: ['"Secrets" (secret-detection-0: no rule matched)'] });
  });

  it.each([
    ['a list', [], 'is not a JSON object'],
    ['another version', { version: 2, jobs: [] }, 'has version 2, not 1'],
    ['no jobs', { version: 1 }, 'has no jobs list'],
    ['a malformed job', { version: 1, jobs: [{ name: 1, origin: 'policy' }] }, 'has a malformed jobs[0]'],
  ])('refuses %s', (_name, report, why) => {
    expect(requiredJobsFromReport(report, 'policy-report.json')).toEqual({ kind: 'unknown', why: `policy-report.json ${why}`, stillComposing: false });
  });
});
