/**
 * Generates large, realistic GitLab security reports for tests and benchmarks: a Semgrep SAST
 * report, a Gemnasium dependency-scanning report and a CycloneDX SBOM. Deterministic: a seeded
 * PRNG (mulberry32) makes every choice, so the same (count, seed) always gives the same bytes.
 * Every finding has a distinct location, so `count` findings give `count` distinct ids.
 */

const SAST_RULES = [
  ['javascript.lang.security.audit.path-traversal', 'CWE-22', 'Improper limitation of a pathname to a restricted directory'],
  ['javascript.express.security.injection.tainted-sql-string', 'CWE-89', 'Improper neutralization of special elements used in an SQL command'],
  ['javascript.lang.security.audit.detect-eval-with-expression', 'CWE-95', 'Eval injection'],
  ['javascript.browser.security.insecure-document-method', 'CWE-79', 'Improper neutralization of input during web page generation'],
  ['javascript.jsonwebtoken.security.jwt-hardcode', 'CWE-798', 'Use of hard-coded credentials'],
  ['javascript.lang.security.insecure-random', 'CWE-338', 'Use of cryptographically weak pseudo-random number generator'],
] as const;
const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Info', 'Unknown'] as const;
const FOLDERS = ['src/api', 'src/web', 'src/worker', 'src/auth', 'lib/billing', 'lib/search'] as const;
const PACKAGES = ['lodash', 'minimist', 'axios', 'express', 'jsonwebtoken', 'ws', 'semver', 'qs', 'follow-redirects', 'tough-cookie'] as const;
const LICENSES = ['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'GPL-3.0-only'] as const;

/** mulberry32: small, fast, good enough for test data; never for security. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** Deterministic UUID-shaped id from two numbers (a report's own `id`; informative only). */
function fakeUuid(seed: number, index: number): string {
  const hex = (value: number, width: number): string => (value >>> 0).toString(16).padStart(width, '0').slice(-width);
  return `${hex(seed, 8)}-${hex(index >>> 16, 4)}-4${hex(index, 3)}-8${hex(seed >>> 4, 3)}-${hex(index * 2654435761, 12)}`;
}

function scan(type: string, analyzer: { id: string; name: string; version: string }, scanner: { id: string; name: string; version: string }): object {
  return {
    analyzer: { ...analyzer, vendor: { name: 'GitLab' } },
    scanner: { ...scanner, vendor: { name: 'GitLab' } },
    type,
    start_time: '2025-03-04T10:00:00',
    end_time: '2025-03-04T10:02:41',
    status: 'success',
  };
}

export function generateSastReport(count: number, seed: number): string {
  const next = random(seed);
  const vulnerabilities = Array.from({ length: count }, (_, index) => {
    const [ruleId, cwe, title] = pick(next, SAST_RULES);
    const file = `${pick(next, FOLDERS)}/module-${index % 211}.js`;
    const line = index + 1; // distinct per finding: distinct locations, distinct ids
    return {
      id: fakeUuid(seed, index),
      name: title,
      description: `${title} (${ruleId})`,
      severity: pick(next, SEVERITIES),
      identifiers: [
        { type: 'semgrep_id', name: ruleId, value: ruleId },
        { type: 'cwe', name: cwe, value: cwe.slice(4), url: `https://cwe.mitre.org/data/definitions/${cwe.slice(4)}.html` },
      ],
      location: { file, start_line: line, end_line: line + Math.floor(next() * 3) },
    };
  });
  return JSON.stringify({
    version: '15.0.7',
    scan: scan('sast', { id: 'semgrep', name: 'Semgrep', version: '5.21.0' }, { id: 'semgrep', name: 'Semgrep', version: '1.98.0' }),
    vulnerabilities,
  });
}

export function generateDependencyReport(count: number, seed: number): string {
  const next = random(seed);
  const vulnerabilities = Array.from({ length: count }, (_, index) => {
    const name = `${pick(next, PACKAGES)}-${index}`; // distinct package per finding
    const version = `${1 + Math.floor(next() * 4)}.${Math.floor(next() * 20)}.${Math.floor(next() * 10)}`;
    const cve = `CVE-2024-${String(10000 + index).padStart(5, '0')}`;
    return {
      id: fakeUuid(seed, index),
      name: `Prototype pollution in ${name}`,
      severity: pick(next, SEVERITIES),
      solution: next() < 0.7 ? `Upgrade to version ${version.replace(/^\d+/, (major) => String(Number(major) + 1))} or above.` : undefined,
      identifiers: [
        { type: 'gemnasium', name: `Gemnasium-${fakeUuid(seed + 1, index)}`, value: fakeUuid(seed + 1, index) },
        { type: 'cve', name: cve, value: cve, url: `https://nvd.nist.gov/vuln/detail/${cve}` },
      ],
      location: { file: 'package-lock.json', dependency: { package: { name }, version, direct: next() < 0.3 } },
    };
  });
  return JSON.stringify({
    version: '15.0.7',
    scan: scan('dependency_scanning', { id: 'gemnasium', name: 'Gemnasium', version: '5.8.3' }, { id: 'gemnasium', name: 'Gemnasium', version: '5.8.3' }),
    vulnerabilities,
    dependency_files: [{ path: 'package-lock.json', package_manager: 'npm', dependencies: [] }],
  });
}

export function generateSbom(count: number, seed: number): string {
  const next = random(seed);
  const components = Array.from({ length: count }, (_, index) => {
    const name = `${pick(next, PACKAGES)}-${index}`;
    const version = `${Math.floor(next() * 5)}.${Math.floor(next() * 30)}.${Math.floor(next() * 10)}`;
    const roll = next();
    const licenses =
      roll < 0.7 ? [{ license: { id: pick(next, LICENSES) } }] : roll < 0.85 ? [{ expression: `${pick(next, LICENSES)} OR ${pick(next, LICENSES)}` }] : undefined;
    return { type: 'library', name, version, purl: `pkg:npm/${name}@${version}`, ...(licenses === undefined ? {} : { licenses }) };
  });
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.4',
    serialNumber: `urn:uuid:${fakeUuid(seed, count)}`,
    version: 1,
    metadata: { properties: [{ name: 'gitlab:meta:schema_version', value: '1' }] },
    components,
  });
}
