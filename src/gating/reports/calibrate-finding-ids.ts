/**
 * Source findings recognised as target-branch findings through their tracking signatures, as
 * GitLab's Security::OverrideUuidsService calibrates a pipeline's findings against the findings
 * it already knows (ee/app/services/security/override_uuids_service.rb):
 *
 * - only findings that carry signatures are calibrated (`override_uuids?`: signatures enabled
 *   and the report has signatures; earlier GitLab versions did this for SAST only, current ones
 *   for any report type that has signatures);
 * - a known finding matches when it has the same primary identifier fingerprint and the same
 *   scanner (`compare_with_existing_finding`) and shares a signature of the same algorithm,
 *   tried from the highest priority down (`existing_findings_by_signature`; with
 *   `vulnerability_signatures_dedup_by_type`, gitlab-org/gitlab!179522, the algorithm must agree);
 * - failing that, one with the same report type and location fingerprint, for projects whose
 *   earlier findings had no signatures yet (`existing_findings_by_location`);
 * - the finding then takes the known finding's UUID, unless another finding of this pipeline
 *   already has that UUID (`known_uuids.add?`).
 *
 * GitLab compares with the project's stored vulnerability findings; offline, the target branch's
 * findings are what we know, and "newly detected" is then the usual UUID difference (§3.3).
 * So an analyzer upgrade that moves `end_line` on ten findings leaves them known, not new.
 */
import type { Finding, ReportSet } from '../findings-model.js';
import { identityOf, ReportFinding } from './report-finding.js';

export function calibrateFindingIds(source: ReportSet, target: ReportSet | undefined): ReportSet {
  if (target === undefined || !source.findings.some(hasSignatures)) return source;
  const bySignature = new Map<string, Finding[]>();
  const byLocation = new Map<string, Finding[]>();
  for (const known of target.findings) {
    for (const signature of known.signatures ?? []) push(bySignature, `${signature.algorithm}:${signature.hex}`, known);
    push(byLocation, `${known.reportType}:${known.locationFingerprint}`, known);
  }
  // Identity keys are equal exactly when ids are (report-finding.ts): no UUID is hashed to compare.
  const identity = identityOf(source.findings, target.findings);
  const taken = new Set(source.findings.map(identity));
  const targetIds = new Set(target.findings.map(identity));
  const findings = source.findings.map((finding): Finding => {
    // Already known by its UUID (the usual case: the signature did not change), or nothing to match by.
    if (targetIds.has(identity(finding)) || !hasSignatures(finding)) return finding;
    const candidates = [
      ...(finding.signatures ?? []).flatMap((signature) => bySignature.get(`${signature.algorithm}:${signature.hex}`) ?? []),
      ...(byLocation.get(`${finding.reportType}:${finding.locationFingerprint}`) ?? []),
    ];
    const known = candidates.find((candidate) => sameVulnerability(candidate, finding));
    if (known === undefined || identity(known) === identity(finding) || taken.has(identity(known))) return finding;
    taken.add(identity(known));
    return withIdOf(finding, known);
  });
  return { ...source, findings };
}

/** The finding under the known finding's id (and, for findings of readReports, its identity key). */
function withIdOf(finding: Finding, known: Finding): Finding {
  if (finding instanceof ReportFinding && known instanceof ReportFinding) return finding.withIdentityOf(known);
  // The plain object in the usual key order, whatever kind of finding it was.
  return { ...(finding instanceof ReportFinding ? finding.toJSON() : finding), id: known.id };
}

function hasSignatures(finding: Finding): boolean {
  return (finding.signatures?.length ?? 0) > 0;
}

function sameVulnerability(known: Finding, finding: Finding): boolean {
  return (
    known.reportType === finding.reportType &&
    // Equal identifier fingerprints (sha1 of "type:value") are equal "type:value" strings.
    known.primaryIdentifier.type === finding.primaryIdentifier.type &&
    known.primaryIdentifier.value === finding.primaryIdentifier.value &&
    known.scanner.id === finding.scanner.id
  );
}

function push(map: Map<string, Finding[]>, key: string, finding: Finding): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [finding]);
  else list.push(finding);
}
