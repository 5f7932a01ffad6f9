/**
 * Findings of readReports are compared by identity key, not by their UUIDs, which are hashed only
 * when read (report-finding.ts, issue #14). The key must match exactly when the UUID does: on
 * generated findings whose identity inputs often coincide (and coincide as strings only:
 * `("a:b", "c")` and `("a", "b:c")` are one `type:value`; a signature value equal to another
 * finding's location fingerprint), every pair is checked, and every comparison the gate makes
 * (de-duplication, calibration by signatures, newly detected and pre-existing findings) gives the
 * same outcome, byte for byte, as the same findings compared by id.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrateFindingIds } from '../../../src/gating/reports/calibrate-finding-ids.js';
import { dedupeFindings } from '../../../src/gating/reports/dedupe-findings.js';
import { findingIdentityKey, findingUuid } from '../../../src/gating/reports/finding-identity.js';
import { mapFindings } from '../../../src/gating/reports/map-findings.js';
import { ReportFinding } from '../../../src/gating/reports/report-finding.js';
import type { Finding, ReportSet, ReportType } from '../../../src/gating/findings-model.js';
import type { SecurityReportDocument } from '../../../src/gating/reports/report-document.js';
import { approvalPolicy, evaluate, reports, scanRule } from '../approvals/approval-builders.js';

// Few distinct strings, with `:` and `|` in them, so identities coincide often and in tricky ways.
const piece = fc.constantFrom<string>('a', 'b', 'a:b', 'b:c', 'c', ':', '|', 'x|y', '');
const reportType = fc.constantFrom<ReportType>('sast', 'secret_detection', 'dependency_scanning');
const projectId = fc.constantFrom<number | string | undefined>(undefined, 5, '5', 55, '5|x', '');

const identityInputs = fc.record({ reportType, type: piece, value: piece, location: fc.constantFrom<string>('a:b', 'b', 'a', 'a:b:c', ':'), projectId });
type IdentityInputs = typeof identityInputs extends fc.Arbitrary<infer T> ? T : never;

const input = (type: string, value: string, projectId: number | string | undefined): IdentityInputs => ({ reportType: 'sast', type, value, location: 'a', projectId });
/** Pairs a careless key would confuse, or tell apart, where the UUIDs do the opposite. */
const TRICKY: IdentityInputs[][] = [
  [input('a:b', 'c', 5), input('a', 'b:c', 5)], // one `type:value`: one UUID
  [input('y', 'c', '5|x'), input('x|y', 'c', '5')], // project and identifier run together
  [input('a', 'b', 5), input('a', 'b', '5')], // 5 and "5": one UUID
  [input('a', 'b', undefined), input('a', 'b', '')], // no project, or an empty one: two UUIDs
];

describe('identity key', () => {
  it('is equal for two findings exactly when their GitLab UUIDs are', () => {
    fc.assert(
      fc.property(fc.array(identityInputs, { minLength: 2, maxLength: 12 }), (inputs) => {
        const keyed = inputs.map((input) => ({
          key: findingIdentityKey(input.reportType, input, input.location, input.projectId),
          // The location part is the SHA-1 of the location input, whether a fingerprint or a signature value.
          uuid: findingUuid(input.reportType, input, input.location, [], input.projectId),
        }));
        for (const a of keyed) for (const b of keyed) expect(a.key === b.key).toBe(a.uuid === b.uuid);
      }),
      { numRuns: 300, examples: TRICKY.map((pair) => [pair]) },
    );
  });
});

// ---- whole comparisons: ReportFindings (compared by key) against the same findings as plain objects (by id)

const sketch = fc.record({
  rule: fc.constantFrom('a', 'a:b', 'b'),
  identifierType: fc.constantFrom('semgrep_id', 'semgrep_id:a', 'cwe'),
  file: fc.constantFrom('src/a.js', 'src/a.js:1'),
  line: fc.integer({ min: 1, max: 3 }),
  severity: fc.constantFrom('Critical', 'High', 'Low'),
  scanner: fc.constantFrom('semgrep', 'other'),
  // A signature value may equal a location fingerprint (`src/a.js:1:1`): then the UUIDs are equal.
  signature: fc.option(fc.record({ algorithm: fc.constantFrom('scope_offset', 'location', 'hash'), value: fc.constantFrom('src/a.js:1:1', 'f[0]:1', 'f[0]:2') }), { nil: undefined }),
});
type Sketch = typeof sketch extends fc.Arbitrary<infer T> ? T : never;

function readSide(sketches: readonly Sketch[], projectId: number | undefined): ReportFinding[] {
  const byScanner = new Map<string, Sketch[]>();
  for (const item of sketches) byScanner.set(item.scanner, [...(byScanner.get(item.scanner) ?? []), item]);
  return [...byScanner].flatMap(([scanner, items]) => {
    const tool = { id: scanner, name: scanner, version: '1', vendor: { name: 'GitLab' } };
    const report = {
      version: '15.0.7',
      scan: { analyzer: tool, scanner: tool, type: 'sast', start_time: '2025-03-04T10:00:00', end_time: '2025-03-04T10:01:00', status: 'success' },
      vulnerabilities: items.map((item, index) => ({
        id: `${scanner}-${index}`,
        name: `${item.rule} ${index}`,
        severity: item.severity,
        identifiers: [{ type: item.identifierType, name: item.rule, value: item.rule }],
        location: { file: item.file, start_line: item.line, end_line: item.line },
        ...(item.signature === undefined ? {} : { tracking: { type: 'source', items: [{ signatures: [item.signature] }] } }),
      })),
    } as unknown as SecurityReportDocument; // the shape the schema guarantees; built here, not parsed
    return mapFindings(report, { reportType: 'sast', file: `${scanner}.json`, projectId }) as ReportFinding[];
  });
}

/** The same findings as plain objects: the gate then compares them by id, as before identity keys. */
function plain(findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => (finding instanceof ReportFinding ? finding.toJSON() : finding));
}

const json = (value: unknown): string => JSON.stringify(value);
const withFindings = (findings: readonly Finding[]): ReportSet => reports(findings, { types: ['sast'] });

describe('comparisons by identity key give what comparisons by id gave', () => {
  it('de-duplication keeps the same findings in the same order', () => {
    fc.assert(
      fc.property(fc.array(sketch, { maxLength: 14 }), fc.constantFrom(undefined, 7), (sketches, projectId) => {
        const findings = readSide(sketches, projectId);
        expect(findings.every((finding) => finding instanceof ReportFinding)).toBe(true);
        expect(json(dedupeFindings(findings))).toBe(json(dedupeFindings(plain(findings))));
      }),
      { numRuns: 300 },
    );
  });

  it('calibration by tracking signatures gives the same ids', () => {
    fc.assert(
      fc.property(fc.array(sketch, { maxLength: 10 }), fc.array(sketch, { maxLength: 10 }), (sourceSketches, targetSketches) => {
        const source = dedupeFindings(readSide(sourceSketches, 7));
        const target = dedupeFindings(readSide(targetSketches, 7));
        const byKey = calibrateFindingIds(withFindings(source), withFindings(target));
        const byId = calibrateFindingIds(withFindings(plain(source)), withFindings(plain(target)));
        expect(json(byKey.findings)).toBe(json(byId.findings));
      }),
      { numRuns: 300 },
    );
  });

  it('a scan_finding rule counts and reports the same findings, new and pre-existing', () => {
    const policies = [
      approvalPolicy('New', [scanRule({ severity_levels: [], vulnerability_states: ['new_needs_triage'], vulnerabilities_allowed: 1 })]),
      approvalPolicy('Both', [scanRule({ severity_levels: ['critical', 'high'], vulnerability_states: ['new_needs_triage', 'detected'], vulnerabilities_allowed: 0 })]),
    ];
    fc.assert(
      fc.property(fc.array(sketch, { maxLength: 10 }), fc.array(sketch, { maxLength: 10 }), (sourceSketches, targetSketches) => {
        const source = dedupeFindings(readSide(sourceSketches, 7));
        const target = dedupeFindings(readSide(targetSketches, 7));
        const byKey = evaluate(policies, { source: withFindings(source), target: withFindings(target) });
        const byId = evaluate(policies, { source: withFindings(plain(source)), target: withFindings(plain(target)) });
        expect(json(byKey)).toBe(json(byId));
      }),
      { numRuns: 200 },
    );
  });
});
