/**
 * One finding per id across a report set, in a stable order. When two reports (or one report
 * twice) give the same id, the highest severity is kept; ties are broken by fixed keys, so the
 * result does not depend on the order of files or of findings within them.
 *
 * GitLab differs in one respect (Security::MergeReportsService): within one report type it also
 * merges findings that share the location fingerprint and any identifier other than CWE/WASC,
 * keeping the finding of the higher-priority analyzer. We merge equal ids only; the ids (which
 * decide "newly detected", §3.3) are the same either way.
 */
import type { Finding, Severity } from '../findings-model.js';
import { compareText } from './read-sbom.js';
import { identityOf } from './report-finding.js';

// GitLab's severity levels (Enums::Vulnerability): unknown ranks below info.
const SEVERITY_RANK: Record<Severity, number> = { unknown: 0, info: 1, low: 4, medium: 5, high: 6, critical: 7 };

export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  // By identity key, equal exactly when the ids are: no UUID is hashed to find duplicates.
  const identity = identityOf(findings);
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const key = identity(finding);
    const known = byId.get(key);
    if (known === undefined || preferFinding(finding, known) < 0) byId.set(key, finding);
  }
  return [...byId.values()].sort(compareFindingOrder);
}

/** Negative when `a` is the one to keep. */
function preferFinding(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    compareText(a.scanner.id, b.scanner.id) ||
    compareText(a.reportId ?? '', b.reportId ?? '') ||
    compareText(a.name, b.name) ||
    compareText(a.reportFile ?? '', b.reportFile ?? '') ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}

/**
 * Report type, then location, then id: readable in goldens, total, independent of input order.
 * Only findings of one type and location need their ids, so only theirs are hashed.
 */
function compareFindingOrder(a: Finding, b: Finding): number {
  return compareText(a.reportType, b.reportType) || compareText(a.location, b.location) || compareText(a.id, b.id);
}
