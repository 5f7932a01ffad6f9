/**
 * Attacks on the string bounds of the report schemas through the validators' precheck
 * (gating/reports/report-ajv.ts): `evaluate` first checks reports with lengths in UTF-16 units
 * and only on a refusal runs the exact validator (lengths in code points, as JSON Schema defines
 * a string's length, and as our validation counted before the precheck). A finding crafted so the two counts fall on either side of a
 * bound must get the exact verdict: a name over 255 characters is refused whatever its
 * characters (the report is invalid, the fail-closed gate holds), and one within 255 characters
 * but over 255 UTF-16 units is read like any other. Each case runs the real CLI process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateAsProcess } from '../helpers/evaluate-as-process.js';

const MAIN_SAST = readFileSync('examples/workspace/reports/main/gl-sast-report.json', 'utf8');

const gate = {
  approval_policy: [
    {
      name: 'Gate',
      enabled: true,
      rules: [{ type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: [], vulnerability_states: ['new_needs_triage'] }],
      actions: [{ type: 'require_approval', approvals_required: 1, user_approvers_ids: [1] }],
      fallback_behavior: { fail: 'closed' },
    },
  ],
};

/** The target branch's SAST report with its one finding's `field` replaced: same identity, so not newly detected. */
function withField(field: string, value: string): string {
  const report = JSON.parse(MAIN_SAST) as { vulnerabilities: Record<string, unknown>[] };
  return JSON.stringify({ ...report, vulnerabilities: report.vulnerabilities.map((vulnerability) => ({ ...vulnerability, [field]: value })) });
}

const ASTRAL = '\u{1F600}'; // one code point, two UTF-16 units

describe('attack: string bounds decided in code points, as before the precheck', () => {
  it('a finding name of 256 astral characters → the report is refused, exit 1, with the exact message', async () => {
    const run = await evaluateAsProcess({ policy: gate, mr: { 'gl-sast-report.json': withField('name', ASTRAL.repeat(256)) }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('REPORT_INVALID');
    expect(run.stdout).toContain('gl-sast-report.json: $.vulnerabilities[0].name must be at most 255 characters long');
  });

  it('a name of 255 astral characters (510 UTF-16 units, over the precheck\'s bound) is read: nothing new, exit 0', async () => {
    const run = await evaluateAsProcess({ policy: gate, mr: { 'gl-sast-report.json': withField('name', ASTRAL.repeat(255)) }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.stdout).not.toContain('REPORT_INVALID');
    expect(run.code).toBe(0);
  });

  it('a solution of 7,001 characters made of accented letters and astral characters → refused, exit 1', async () => {
    const run = await evaluateAsProcess({ policy: gate, mr: { 'gl-sast-report.json': withField('solution', `${'é'.repeat(6000)}${ASTRAL.repeat(1001)}`) }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('$.vulnerabilities[0].solution must be at most 7000 characters long');
  });

  it('an empty finding id → refused, exit 1 (minLength 1 is the same in both counts)', async () => {
    const run = await evaluateAsProcess({ policy: gate, mr: { 'gl-sast-report.json': withField('id', '') }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('$.vulnerabilities[0].id must not be empty');
  });
});
