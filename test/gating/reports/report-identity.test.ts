/**
 * Finding identity (gitlab-approvals-status-checks.md §3.3): ids equal to GitLab's finding UUIDs
 * (values cross-checked with Python's uuid.uuid5 over the same name), location fingerprints per
 * report type, and properties: ids do not depend on the order of findings or files, and change
 * exactly when the primary identifier or the location does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDING_UUID_NAMESPACE, dockerImageNameWithoutTag, identifyFinding, locationFingerprintData, readReports, splitLicenseExpression } from '../../../src/gating/reports/index.js';
import { createHash } from 'node:crypto';
import { createIdentityHashes, uuidV5 } from '../../../src/gating/reports/finding-identity.js';
import { readTrackingSignatures } from '../../../src/gating/reports/tracking-signatures.js';

const RULE = 'javascript.lang.security.audit.path-traversal.path-join-resolve-traversal';

describe('GitLab finding UUIDs', () => {
  it('is RFC 4122 uuidv5, as Python uuid.uuid5(NAMESPACE_DNS, "www.example.com")', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('equals GitLab’s UUID when the project id is given, and differs without it', () => {
    const location = { file: 'src/files/download.js', start_line: 27, end_line: 27 };
    const primary = { type: 'semgrep_id', value: RULE };
    // python3: uuid.uuid5(UUID('58dc0f06-…'), 'sast-<sha1 semgrep_id:RULE>-<sha1 src/files/download.js:27:27>-278964')
    expect(identifyFinding('sast', primary, location, 278964).id).toBe('4f398971-963b-57ce-8d82-4462ed293b7f');
    expect(identifyFinding('sast', primary, location, undefined).id).not.toBe('4f398971-963b-57ce-8d82-4462ed293b7f');
  });
});

/** RFC 4122 §4.3 written out plainly (a fresh hash of namespace bytes + name), to check the fast uuidV5 against. */
function referenceUuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('uuidV5 and the identity hash cache', () => {
  it('gives the reference UUID for any name and namespace, however long or non-ASCII the name', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ unit: 'grapheme', maxLength: 400 }), (namespace, name) => {
        expect(uuidV5(namespace, name)).toBe(referenceUuidV5(namespace, name));
      }),
      { numRuns: 300 },
    );
    // Longer than the reused buffer, and back to a short one.
    expect(uuidV5(FINDING_UUID_NAMESPACE, 'é'.repeat(5_000))).toBe(referenceUuidV5(FINDING_UUID_NAMESPACE, 'é'.repeat(5_000)));
    expect(uuidV5(FINDING_UUID_NAMESPACE, 'x')).toBe(referenceUuidV5(FINDING_UUID_NAMESPACE, 'x'));
  });

  it('identifies a finding the same with a shared identifier-fingerprint cache, cold or warm, as without', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.integer({ min: 1, max: 99 }), (type, value, file, line) => {
        const hashes = createIdentityHashes();
        const location = { file, start_line: line, end_line: line };
        const plain = identifyFinding('sast', { type, value }, location, 42);
        expect(identifyFinding('sast', { type, value }, location, 42, [], hashes)).toEqual(plain);
        expect(identifyFinding('sast', { type, value }, location, 42, [], hashes)).toEqual(plain);
        expect(identifyFinding('sast', { type, value }, location, undefined, [], hashes)).toEqual(identifyFinding('sast', { type, value }, location, undefined));
      }),
    );
  });
});

describe('GitLab finding UUIDs with tracking signatures', () => {
  // common.rb#create_signatures / #create_finding: values joined per algorithm with "|", unknown
  // algorithms dropped, the highest-priority signature's SHA-1 hex in place of the location.
  it('uses the highest-priority signature, values joined across items (cross-checked with Python uuid.uuid5)', () => {
    const tracking = {
      items: [
        { signatures: [{ algorithm: 'location', value: 'src/orders.js:42' }, { algorithm: 'scope_offset', value: 'src/orders.js|listOrders[0]:3' }, { algorithm: 'fancy_hash', value: 'x' }] },
        { signatures: [{ algorithm: 'scope_offset', value: 'src/orders.js|listOrders[0]:5' }] },
      ],
    };
    const signatures = readTrackingSignatures(tracking);
    expect(signatures.map((signature) => signature.algorithm)).toEqual(['scope_offset', 'location']);
    const location = { file: 'src/orders.js', start_line: 42, end_line: 44 };
    // python3: uuid.uuid5(UUID('58dc0f06-…'), 'sast-<sha1 semgrep_id:js.sqli>-<sha1 "…:3|…:5">-278964')
    expect(identifyFinding('sast', { type: 'semgrep_id', value: 'js.sqli' }, location, 278964, signatures).id).toBe('e73be1b6-4a5a-5e74-9b36-bc103f01380d');
    // Moving end_line changes nothing while the signature stays.
    expect(identifyFinding('sast', { type: 'semgrep_id', value: 'js.sqli' }, { ...location, end_line: 46 }, 278964, signatures).id).toBe('e73be1b6-4a5a-5e74-9b36-bc103f01380d');
  });

  it('ranks scope_offset_compressed over scope_offset, and rule_id last', () => {
    const algorithms = (items: { algorithm: string; value: string }[]) => readTrackingSignatures({ items: [{ signatures: items }] }).map((signature) => signature.algorithm);
    expect(algorithms([{ algorithm: 'scope_offset', value: 'a' }, { algorithm: 'scope_offset_compressed', value: 'b' }])).toEqual(['scope_offset_compressed', 'scope_offset']);
    expect(algorithms([{ algorithm: 'rule_id', value: 'r' }, { algorithm: 'hash', value: 'h' }])).toEqual(['hash', 'rule_id']);
  });
});

describe('location fingerprint data', () => {
  it.each([
    ['sast', { file: 'a.js', start_line: 10 }, 'a.js:10:'],
    ['secret_detection', { file: '.env', start_line: 3, end_line: 3, commit: { sha: 'abc' } }, '.env:3:3'],
    ['dependency_scanning', { file: 'yarn.lock', dependency: { package: { name: 'ws' }, version: '7.4.5' } }, 'yarn.lock:ws'],
    ['dast', { hostname: 'https://x.example', method: 'GET', path: '/a' }, '/a:GET:'],
    ['coverage_fuzzing', { crash_type: 'Heap-buffer-overflow', crash_state: 'parse\nread\n' }, 'Heap-buffer-overflow:parse\nread\n'],
  ] as const)('%s', (reportType, location, expected) => {
    expect(locationFingerprintData(reportType, location)).toBe(expected);
  });

  it.each([
    ['registry.example.com/app:latest', 'registry.example.com/app'],
    ['registry.example.com/app:1.2.3', 'registry.example.com/app:1.2.3'],
    ['registry.example.com:5000/group/app:feature-x', 'registry.example.com:5000/group/app'],
    ['app:3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d', 'app'], // a hex tag of 32+ characters is a hash, not a version
    ['app@sha256:4b8a1f0c9d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345', 'app@sha256'],
    ['alpine', ''], // GitLab's rpartition quirk, reproduced
  ])('container image %s fingerprints as %s', (image, expected) => {
    expect(dockerImageNameWithoutTag({ image })).toBe(expected);
  });

  it('prefers the default-branch image for containers', () => {
    expect(dockerImageNameWithoutTag({ image: 'r/app/feature:abc', default_branch_image: 'r/app/main:latest' })).toBe('r/app/main');
  });
});

describe('SPDX expressions', () => {
  it.each([
    ['MIT', ['MIT']],
    ['MIT OR Apache-2.0', ['MIT', 'Apache-2.0']],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', ['MIT', 'Apache-2.0', 'BSD-3-Clause']],
    ['GPL-2.0-only WITH Classpath-exception-2.0 OR MIT', ['GPL-2.0-only WITH Classpath-exception-2.0', 'MIT']],
    ['MIT AND MIT', ['MIT']],
  ])('%s', (expression, expected) => {
    expect(splitLicenseExpression(expression)).toEqual(expected);
  });
});

// ---- properties -------------------------------------------------------------------------------

const scan = (type: string, id: string): object => ({
  analyzer: { id, name: id, version: '1.0.0', vendor: { name: 'GitLab' } },
  scanner: { id, name: id, version: '1.0.0', vendor: { name: 'GitLab' } },
  type,
  start_time: '2025-03-04T10:00:00',
  end_time: '2025-03-04T10:01:00',
  status: 'success',
});

const severity = fc.constantFrom('Critical', 'High', 'Medium', 'Low', 'Info', 'Unknown');
const sastFinding = fc.record({
  rule: fc.constantFrom('rule-a', 'rule-b', 'rule-c'),
  file: fc.constantFrom('src/a.js', 'src/b.js', 'lib/c.js'),
  line: fc.integer({ min: 1, max: 40 }),
  severity,
});
const dsFinding = fc.record({ cve: fc.constantFrom('CVE-2024-1', 'CVE-2024-2'), name: fc.constantFrom('lodash', 'ws', 'qs'), severity });

type SastInput = { rule: string; file: string; line: number; severity: string };
type DsInput = { cve: string; name: string; severity: string };

function sastReport(findings: readonly SastInput[]): string {
  const vulnerabilities = findings.map((finding, index) => ({
    id: `sast-${index}`,
    severity: finding.severity,
    identifiers: [{ type: 'semgrep_id', name: finding.rule, value: finding.rule }],
    location: { file: finding.file, start_line: finding.line, end_line: finding.line },
  }));
  return JSON.stringify({ version: '15.0.7', scan: scan('sast', 'semgrep'), vulnerabilities });
}

function dsReport(findings: readonly DsInput[]): string {
  const vulnerabilities = findings.map((finding, index) => ({
    id: `ds-${index}`,
    severity: finding.severity,
    identifiers: [{ type: 'cve', name: finding.cve, value: finding.cve }],
    location: { file: 'package-lock.json', dependency: { package: { name: finding.name }, version: '1.0.0' } },
  }));
  return JSON.stringify({ version: '15.0.7', scan: scan('dependency_scanning', 'gemnasium'), vulnerabilities, dependency_files: [] });
}

/** A permutation of `items` driven by fast-check's shuffled indices. */
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items.map((item, index) => ({ item, key: keys[index] ?? 0, index })).sort((a, b) => a.key - b.key || a.index - b.index).map((entry) => entry.item);
}

describe('identity properties', () => {
  it('the report set does not depend on the order of findings or of files', () => {
    fc.assert(
      fc.property(
        fc.array(sastFinding, { maxLength: 12 }),
        fc.array(dsFinding, { maxLength: 8 }),
        fc.array(fc.integer(), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        (sast, ds, keys, swapFiles) => {
          const files = [
            { name: 'gl-sast-report.json', text: sastReport(sast) },
            { name: 'gl-dependency-scanning-report.json', text: dsReport(ds) },
          ];
          const reordered = [
            { name: 'gl-sast-report.json', text: sastReport(permute(sast, keys)) },
            { name: 'gl-dependency-scanning-report.json', text: dsReport(permute(ds, keys)) },
          ];
          const first = readReports(files);
          const second = readReports(swapFiles ? reordered.reverse() : reordered);
          // The report's own `id` follows the position in the file: compare everything else.
          // Through JSON: a finding's id is hashed when read (report-finding.ts), not an own property.
          const strip = (set: typeof first): unknown => set.findings.map((finding) => ({ ...(JSON.parse(JSON.stringify(finding)) as object), reportId: undefined }));
          expect(strip(second)).toEqual(strip(first));
          expect(new Set(second.findings.map((finding) => finding.id))).toEqual(new Set(first.findings.map((finding) => finding.id)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reading both sides with one identifier-fingerprint cache gives the same report sets as reading each alone', () => {
    fc.assert(
      fc.property(fc.array(sastFinding, { maxLength: 12 }), fc.array(sastFinding, { maxLength: 12 }), fc.array(dsFinding, { maxLength: 8 }), (source, target, ds) => {
        const sourceFiles = [{ name: 'gl-sast-report.json', text: sastReport(source) }, { name: 'gl-dependency-scanning-report.json', text: dsReport(ds) }];
        const targetFiles = [{ name: 'gl-sast-report.json', text: sastReport([...target, ...source]) }, { name: 'gl-dependency-scanning-report.json', text: dsReport(ds) }];
        const hashes = createIdentityHashes();
        // As JSON, so each finding's id (hashed when read) is compared too.
        const asJson = (set: ReturnType<typeof readReports>): unknown => JSON.parse(JSON.stringify({ ...set, reportTypes: [...set.reportTypes] }));
        expect(asJson(readReports(sourceFiles, { projectId: 5, hashes }))).toEqual(asJson(readReports(sourceFiles, { projectId: 5 })));
        expect(asJson(readReports(targetFiles, { projectId: 5, hashes }))).toEqual(asJson(readReports(targetFiles, { projectId: 5 })));
      }),
      { numRuns: 100 },
    );
  });

  it('an id changes with the primary identifier or the location, and with nothing else', () => {
    fc.assert(
      fc.property(sastFinding, fc.constantFrom('semgrep_id', 'cwe'), (finding, type) => {
        const location = { file: finding.file, start_line: finding.line, end_line: finding.line };
        const primary = { type, value: finding.rule };
        const base = identifyFinding('sast', primary, location, 7).id;
        expect(identifyFinding('sast', { type, value: `${finding.rule}-x` }, location, 7).id).not.toBe(base);
        expect(identifyFinding('sast', { type: `${type}-x`, value: finding.rule }, location, 7).id).not.toBe(base);
        expect(identifyFinding('sast', primary, { ...location, start_line: finding.line + 1 }, 7).id).not.toBe(base);
        expect(identifyFinding('sast', primary, { ...location, file: `${finding.file}x` }, 7).id).not.toBe(base);
        expect(identifyFinding('secret_detection', primary, location, 7).id).not.toBe(base);
        // Not part of the identity: the method name, and (for dependencies) the version.
        expect(identifyFinding('sast', primary, { ...location, method: 'run' }, 7).id).toBe(base);
      }),
    );
  });

  it('a dependency finding keeps its id when the package version changes', () => {
    const dependency = (version: string) => ({ file: 'package-lock.json', dependency: { package: { name: 'lodash' }, version } });
    const primary = { type: 'cve', value: 'CVE-2020-8203' };
    expect(identifyFinding('dependency_scanning', primary, dependency('4.17.15'), 1).id).toBe(
      identifyFinding('dependency_scanning', primary, dependency('4.17.20'), 1).id,
    );
  });

  it('only the first identifier is primary', () => {
    const report = (identifiers: object[]): string =>
      JSON.stringify({
        version: '15.0.7',
        scan: scan('sast', 'semgrep'),
        vulnerabilities: [{ id: 'v1', identifiers, location: { file: 'a.js', start_line: 1 } }],
      });
    const idOf = (identifiers: object[]): string | undefined => readReports([{ name: 'gl-sast-report.json', text: report(identifiers) }]).findings[0]?.id;
    const rule = { type: 'semgrep_id', name: 'r', value: 'r' };
    const cwe = { type: 'cwe', name: 'CWE-22', value: '22' };
    expect(idOf([rule, cwe])).toBe(idOf([rule]));
    expect(idOf([cwe, rule])).not.toBe(idOf([rule, cwe]));
  });
});
