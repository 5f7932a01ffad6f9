/** Which jobs' reports `evaluate` trusts, read from the compose report, and which scans are missing. */
import { describe, expect, it } from 'vitest';
import type { ReportSet } from '../../../src/gating/findings-model.js';
import { findMissingScans, readComposeReportJobs } from '../../../src/gating/reports/compose-report-jobs.js';

const report = {
  version: 1,
  policyFailure: null,
  jobs: [
    { name: 'build', origin: 'project' },
    { name: 'audit', origin: 'policy' },
    { name: 'semgrep-sast-0', origin: 'scan-policy' },
    { name: 'policy-sidecar:pre-barrier', origin: 'sidecar' },
  ],
  scanActions: [
    { policy: 'SAST', action: 0, scan: 'sast', applied: true, jobs: ['semgrep-sast-0'], excludedJobs: [] },
    { policy: 'Secrets', action: 0, scan: 'secret_detection', applied: true, jobs: [], excludedJobs: ['secret-detection-1'] },
    { policy: 'IaC', action: 0, scan: 'sast_iac', applied: false, jobs: [], excludedJobs: [] },
  ],
  excludedJobs: [{ name: 'secret-detection-1', reason: 'no rule matched (rule 1 if: $CI_COMMIT_BRANCH)' }],
};

const reports = (types: ReportSet['reportTypes']): ReportSet => ({ findings: [], components: [], reportTypes: types, hasSbom: false, files: [] });

describe('readComposeReportJobs', () => {
  it('trusts only policy and scan-policy jobs, and expects the applied actions', () => {
    const read = readComposeReportJobs(report, 'policy-report.json');
    if ('unreadable' in read) throw new Error(read.unreadable);
    expect([...read.trustedJobs]).toEqual(['audit', 'semgrep-sast-0']);
    expect(read.expectedScans.map((scan) => [scan.scan, scan.reportType, scan.jobs, scan.droppedJobs])).toEqual([
      ['sast', 'sast', ['semgrep-sast-0'], []],
      ['secret_detection', 'secret_detection', [], ['secret-detection-1: no rule matched (rule 1 if: $CI_COMMIT_BRANCH)']],
    ]);
    expect(read.policyFailure).toBeUndefined();
  });

  it('says when it composed without policies', () => {
    const read = readComposeReportJobs({ ...report, policyFailure: { code: 'policy-invalid', message: 'bad policy' } }, 'r.json');
    expect('unreadable' in read ? undefined : read.policyFailure).toBe('bad policy');
  });

  it.each([
    ['not an object', [], 'r.json is not a JSON object'],
    ['another version', { ...report, version: 2 }, 'r.json has version 2, not 1'],
    ['no jobs', { version: 1 }, 'r.json has no jobs list'],
    ['a malformed job', { ...report, jobs: [{ name: 'x' }] }, 'r.json has a malformed jobs[0]'],
    ['a malformed scan action', { ...report, scanActions: [{ policy: 'P' }] }, 'r.json has a malformed scanActions[0]'],
  ])('refuses %s', (_case, value, why) => {
    expect(readComposeReportJobs(value, 'r.json')).toEqual({ unreadable: why });
  });
});

describe('findMissingScans', () => {
  const read = readComposeReportJobs(report, 'policy-report.json');
  const expected = 'unreadable' in read ? [] : read.expectedScans;

  it('an applied scan without a report is missing, with why', () => {
    expect(findMissingScans(reports(new Set(['sast'])), expected)).toEqual([
      { reportType: 'secret_detection', why: 'scan execution policy "Secrets" action 0 (secret_detection): applied, no jobs: secret-detection-1: no rule matched (rule 1 if: $CI_COMMIT_BRANCH)' },
    ]);
    expect(findMissingScans(reports(new Set()), expected)[0]).toEqual({ reportType: 'sast', why: 'scan execution policy "SAST" action 0 (sast): no report from semgrep-sast-0' });
  });

  it('nothing is missing when every applied scan reported', () => {
    expect(findMissingScans(reports(new Set(['sast', 'secret_detection'])), expected)).toEqual([]);
  });
});
