/**
 * Attacks on finding identity through the identity key (issue #14): `evaluate` tells findings
 * apart by a key made of the strings GitLab hashes into a finding's UUID, not by the UUID
 * (gating/reports/finding-identity.ts#findingIdentityKey). A merge request whose report spells
 * its identifier or file so that the strings run together with a known finding's (`|` and `:`
 * inside an identifier value or a file path) must not pass a new vulnerability off as the known
 * one: it is new exactly when its GitLab UUID is. Each case runs the real CLI process.
 */
import { describe, expect, it } from 'vitest';
import { evaluateAsProcess } from '../helpers/evaluate-as-process.js';
import { NO_NEW_CRITICAL_SAST, sastReportDocument } from '../helpers/sast-report.js';

interface Sketch {
  readonly id: string;
  readonly identifierType: string;
  readonly rule: string;
  readonly file: string;
  readonly line: number;
}

function sastReport(findings: readonly Sketch[]): string {
  return JSON.stringify(
    sastReportDocument(
      findings.map((finding) => ({
        id: finding.id,
        name: `${finding.rule} (${finding.id})`,
        severity: 'Critical',
        identifiers: [{ type: finding.identifierType, name: finding.rule, value: finding.rule }],
        location: { file: finding.file, start_line: finding.line, end_line: finding.line },
      })),
    ),
  );
}

const policy = NO_NEW_CRITICAL_SAST;

const known: Sketch = { id: 'k', identifierType: 'semgrep_id', rule: 'js.sqli|src', file: 'app.js', line: 10 };
const main = { 'gl-sast-report.json': sastReport([known]) };

describe('attack: strings that run together with a known finding’s do not hide a new one', () => {
  it('control: the known finding again is not new (exit 0)', async () => {
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([{ ...known, id: 'again' }]) }, main });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('0 newly detected findings');
  });

  it('a file path that continues the known identifier (`js.sqli` + `src|app.js`) is new (exit 1)', async () => {
    // `js.sqli|src` at `app.js` and `js.sqli` at `src|app.js` read the same when joined with `|`.
    const shifted: Sketch = { id: 'shifted', identifierType: 'semgrep_id', rule: 'js.sqli', file: 'src|app.js', line: 10 };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([shifted]) }, main });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
    expect(run.stdout).toContain('js.sqli (shifted)');
  });

  it('an identifier type holding the known identifier (`semgrep_id:js.sqli|src`, value `x`) is new (exit 1)', async () => {
    // Its `type:value` is `semgrep_id:js.sqli|src:x`, not the known `semgrep_id:js.sqli|src`: another UUID.
    const swallowed: Sketch = { id: 'swallowed', identifierType: 'semgrep_id:js.sqli|src', rule: 'x', file: 'app.js', line: 10 };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([swallowed]) }, main });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
  });

  it('as in GitLab, one `type:value` split differently is the same finding (`semgrep_id:js` + `sqli|src`): not new (exit 0)', async () => {
    // GitLab hashes the string "type:value": `semgrep_id` + `js:sqli|src` and `semgrep_id:js` +
    // `sqli|src` are both `semgrep_id:js:sqli|src`, so one UUID in GitLab, and one finding here.
    const target = { 'gl-sast-report.json': sastReport([{ ...known, identifierType: 'semgrep_id', rule: 'js:sqli|src' }]) };
    const split: Sketch = { id: 'split', identifierType: 'semgrep_id:js', rule: 'sqli|src', file: 'app.js', line: 10 };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([split]) }, main: target });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('0 newly detected findings');
  });
});
