/**
 * Attacks on finding identity through tracking signatures (issue #12 item 1). Signatures let a
 * finding whose lines moved stay known, so a forged or reused signature must not let a new
 * vulnerability pass as a known one. We follow GitLab's Security::OverrideUuidsService
 * (ee/app/services/security/override_uuids_service.rb): a known finding is recognised only with
 * the same primary identifier and scanner and a shared signature of the same algorithm
 * (gitlab-org/gitlab!179522), each known finding lends its UUID to one finding only
 * (`known_uuids.add?`), and algorithms GitLab does not know are dropped
 * (Gitlab::Ci::Reports::Security::FindingSignature#valid?). As in GitLab, the scanner is not part
 * of a finding's UUID, and one UUID within a pipeline is one finding. Each case runs the real
 * CLI process.
 */
import { describe, expect, it } from 'vitest';
import { evaluateAsProcess } from '../helpers/evaluate-as-process.js';
import { NO_NEW_CRITICAL_SAST, sastReportDocument } from '../helpers/sast-report.js';

interface Sketch {
  readonly id: string;
  readonly rule: string;
  readonly line: number;
  readonly signatures: readonly { readonly algorithm: string; readonly value: string }[];
  readonly scanner?: string;
}

function sastReport(findings: readonly Sketch[], scanner = 'semgrep'): string {
  return JSON.stringify(
    sastReportDocument(
      findings.map((finding) => ({
        id: finding.id,
        name: `${finding.rule} (${finding.id})`,
        severity: 'Critical',
        identifiers: [{ type: 'semgrep_id', name: finding.rule, value: finding.rule }],
        location: { file: 'src/app.js', start_line: finding.line, end_line: finding.line },
        tracking: { type: 'source', items: [{ file: 'src/app.js', start_line: finding.line, end_line: finding.line, signatures: finding.signatures }] },
      })),
      scanner,
    ),
  );
}

const policy = NO_NEW_CRITICAL_SAST;

const KNOWN_SIGNATURE = { algorithm: 'scope_offset', value: 'src/app.js|handler[0]:3' };
const known: Sketch = { id: 'k', rule: 'js.sqli', line: 10, signatures: [KNOWN_SIGNATURE] };
const main = { 'gl-sast-report.json': sastReport([known]) };

describe('attack: reused tracking signatures cannot hide a new finding', () => {
  it('control: the known finding with moved lines and the same signature is not new (exit 0)', async () => {
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([{ ...known, line: 14 }]) }, main });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('0 newly detected findings');
  });

  it('a new vulnerability (another rule) carrying the known finding’s signature is new (exit 1)', async () => {
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([known, { id: 'x', rule: 'js.command-injection', line: 30, signatures: [KNOWN_SIGNATURE] }]) }, main });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
    expect(run.stdout).toContain('js.command-injection (x)');
  });

  it('a finding that would borrow the identity another finding already has is new (exit 1)', async () => {
    // Its own UUID comes from its finer signature; its scope_offset points at the known finding,
    // whose UUID the moved original already holds: GitLab lends a UUID once (known_uuids.add?).
    const borrower: Sketch = { ...known, id: 'borrower', line: 40, signatures: [{ algorithm: 'scope_offset_compressed', value: 'src/app.js|other[0]:1' }, KNOWN_SIGNATURE] };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([{ ...known, line: 14 }, borrower]) }, main });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
    expect(run.stdout).toContain('js.sqli (borrower)');
  });

  it('a signature under an algorithm GitLab does not know is ignored: moved lines are then new (exit 1)', async () => {
    const forged = { algorithm: 'trust_me', value: 'src/app.js|handler[0]:3' };
    const target = { 'gl-sast-report.json': sastReport([{ ...known, signatures: [forged] }]) };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([{ ...known, line: 14, signatures: [forged] }]) }, main: target });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
  });

  it('a shared value under another algorithm does not match (dedup by algorithm): new (exit 1)', async () => {
    const target = { 'gl-sast-report.json': sastReport([{ ...known, signatures: [KNOWN_SIGNATURE, { algorithm: 'location', value: 'src/app.js:10' }] }]) };
    const moved = { ...known, line: 14, signatures: [{ algorithm: 'scope_offset', value: 'src/app.js|handler[0]:7' }, { algorithm: 'hash', value: 'src/app.js:10' }] };
    const run = await evaluateAsProcess({ policy, mr: { 'gl-sast-report.json': sastReport([moved]) }, main: target });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 newly detected finding >');
  });
});
