/**
 * Vulnerability finding signatures from a report's `tracking` object, read as GitLab reads them
 * (lib/gitlab/ci/parsers/security/common.rb#create_signatures):
 *
 * - the values of every `tracking.items[].signatures[]` are grouped by `algorithm`, in item
 *   order, and each group's values are joined with `|` into one signature value;
 * - an algorithm GitLab does not know is dropped (Gitlab::Ci::Reports::Security::FindingSignature
 *   #valid?: `algorithm_types.key?(algorithm_type)`);
 * - the signature's hex is SHA-1 of that value (FindingSignature#signature_sha, #signature_hex).
 *
 * With signatures (GitLab's `vulnerability_finding_signatures` feature, on Ultimate) the finding
 * UUID uses the hex of the highest-priority signature instead of the location fingerprint
 * (common.rb#create_finding: `signatures.max_by(&:priority)`), so a finding whose lines move but
 * whose scope signature stays is the same finding.
 *
 * Priorities, highest first: `scope_offset_compressed`, `scope_offset`, `location`, `hash`
 * (ee VulnerabilityFindingSignatureHelpers PRIORITIES: scope_offset 3, location 2, hash 1;
 * scope_offset_compressed is algorithm 4, added by gitlab-org/gitlab!124373, and compared first
 * by gitlab-org/gitlab!179522: "if we do not find a match for scope_offset_compressed, we fall
 * back to scope_offset and so forth"). `rule_id` is accepted, but its priority in GitLab is
 * unverified: we rank it lowest, so it decides a finding's identity only when nothing finer is
 * given. Ranking a coarse signature lower can only make more findings count as new (stricter).
 */
import type { TrackingSignature } from '../findings-model.js';
import { sha1Hex } from './finding-identity.js';
import type { ReportTracking } from './report-document.js';

/** Higher is preferred. */
export const SIGNATURE_PRIORITIES: Readonly<Record<string, number>> = {
  scope_offset_compressed: 4,
  scope_offset: 3,
  location: 2,
  hash: 1,
  rule_id: 0,
};

/** The finding's signatures, highest priority first; empty when the report has none GitLab knows. */
export function readTrackingSignatures(tracking: ReportTracking | undefined): TrackingSignature[] {
  return [...readTrackingSignatureValues(tracking).signatures];
}

// Most findings have no tracking: one answer for all of them, not an object and an array each.
const NO_SIGNATURES = Object.freeze({ signatures: Object.freeze([]), firstValue: undefined });

/**
 * The signatures, and the value the first one's hex is the SHA-1 of: equal values are equal
 * hexes, so a finding's identity can be compared without hashing (report-finding.ts).
 */
export function readTrackingSignatureValues(tracking: ReportTracking | undefined): { readonly signatures: readonly TrackingSignature[]; readonly firstValue: string | undefined } {
  // Most findings have no tracking: nothing to group.
  if (tracking?.items === undefined || tracking.items.length === 0) return NO_SIGNATURES;
  const valuesByAlgorithm = new Map<string, string[]>();
  for (const item of tracking?.items ?? []) {
    for (const signature of item.signatures ?? []) {
      const values = valuesByAlgorithm.get(signature.algorithm);
      if (values === undefined) valuesByAlgorithm.set(signature.algorithm, [signature.value]);
      else values.push(signature.value);
    }
  }
  const groups = [...valuesByAlgorithm]
    .filter(([algorithm]) => Object.hasOwn(SIGNATURE_PRIORITIES, algorithm))
    .map(([algorithm, values]) => ({ algorithm, value: values.join('|') }))
    .sort((a, b) => priorityOf(b.algorithm) - priorityOf(a.algorithm));
  return { signatures: groups.map(({ algorithm, value }) => ({ algorithm, hex: sha1Hex(value) })), firstValue: groups[0]?.value };
}

export function priorityOf(algorithm: string): number {
  return SIGNATURE_PRIORITIES[algorithm] ?? -1;
}
