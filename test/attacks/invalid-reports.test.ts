/**
 * Attacks with invalid security reports (issue #12 item 4). Whoever can break or replace a
 * report artifact (a scanner crashing mid-write, a project job dropping its own file under the
 * report's name, a scanner writing its native format) must not turn a fail-closed policy into a
 * pass: GitLab refuses a report that fails its schema (lib/gitlab/ci/parsers/security/common.rb
 * #valid?), so its findings are unknown and the rule falls back on `fallback_behavior`
 * (gitlab-approvals-status-checks.md §1.6, §2.4). Each case runs the real CLI process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateAsProcess } from '../helpers/evaluate-as-process.js';

const SAST = readFileSync('examples/workspace/reports/mr/gl-sast-report.json', 'utf8');
const MAIN_SAST = readFileSync('examples/workspace/reports/main/gl-sast-report.json', 'utf8');
const TRIVY = readFileSync('test/fixtures/reports/trivy-json-is-not-a-gitlab-report/gl-dependency-scanning-report.json', 'utf8');

function gate(rule: Record<string, unknown>, fail: 'open' | 'closed' = 'closed') {
  return {
    approval_policy: [
      {
        name: 'Gate',
        enabled: true,
        rules: [{ branches: ['main'], ...rule }],
        actions: [{ type: 'require_approval', approvals_required: 1, user_approvers_ids: [1] }],
        fallback_behavior: { fail },
      },
    ],
  };
}

const sastRule = { type: 'scan_finding', scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: [], vulnerability_states: ['new_needs_triage'] };
const anyScannerRule = { ...sastRule, scanners: [] };
const gplRule = { type: 'license_finding', match_on_inclusion_license: true, license_types: ['GNU General Public License v3.0 only'], license_states: ['newly_detected'] };

function sbom(specVersion: string): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion,
    version: 1,
    components: [{ type: 'library', name: 'gpl-thing', version: '1.0.0', purl: 'pkg:npm/gpl-thing@1.0.0', licenses: [{ license: { id: 'GPL-3.0-only' } }] }],
  });
}
const EMPTY_SBOM = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [] });

describe('attack: invalid reports cannot open a fail-closed gate', () => {
  it('a truncated SAST report in the merge request → approval required (exit 1), the file named', async () => {
    const run = await evaluateAsProcess({ policy: gate(sastRule), mr: { 'gl-sast-report.json': SAST.slice(0, 200) }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('REPORT_INVALID');
    expect(run.stdout).toContain('source gl-sast-report.json: not valid JSON');
  });

  it('a project file of another format under the report name (Trivy JSON) → exit 1, named as Trivy', async () => {
    const run = await evaluateAsProcess({ policy: gate(anyScannerRule), mr: { 'gl-sast-report.json': SAST, 'gl-dependency-scanning-report.json': TRIVY }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("it looks like Trivy's own JSON format");
  });

  it('an invalid report on the target branch → exit 1 (findings of the target are unknown too)', async () => {
    const run = await evaluateAsProcess({ policy: gate(sastRule), mr: { 'gl-sast-report.json': MAIN_SAST }, main: { 'gl-sast-report.json': '{}' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('target gl-sast-report.json: $.version, $.scan and $.vulnerabilities are required');
  });

  it('an SBOM relabelled CycloneDX 1.3 to hide a GPL dependency → exit 1', async () => {
    const run = await evaluateAsProcess({ policy: gate(gplRule), mr: { 'gl-sbom-npm-npm.cdx.json': sbom('1.3') }, main: { 'gl-sbom-npm-npm.cdx.json': EMPTY_SBOM } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('$.specVersion "1.3" is not a supported CycloneDX version');
  });

  it('control: the same SBOM as CycloneDX 1.5 is read, and the GPL dependency violates (exit 1)', async () => {
    const run = await evaluateAsProcess({ policy: gate(gplRule), mr: { 'gl-sbom-npm-npm.cdx.json': sbom('1.5') }, main: { 'gl-sbom-npm-npm.cdx.json': EMPTY_SBOM } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('GNU General Public License v3.0 only (used by gpl-thing)');
  });

  it('fail open is honoured: the same truncated report skips the rule (exit 0), and still names the file', async () => {
    const run = await evaluateAsProcess({ policy: gate(sastRule, 'open'), mr: { 'gl-sast-report.json': SAST.slice(0, 200) }, main: { 'gl-sast-report.json': MAIN_SAST } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  - source: gl-sast-report.json: not valid JSON');
  });
});
