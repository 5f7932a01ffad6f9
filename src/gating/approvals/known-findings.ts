/**
 * What the project's records say about findings, as GitLab's vulnerability records do for its
 * approval policies (reference §2.2, §2.3): each default-branch finding with the state people and
 * pipelines gave it and when it was first seen. policy-sidecar keeps them in the policy store; the
 * edge loads them and passes them in, so the gate stays pure.
 */
import type { Severity } from '../findings-model.js';

export type KnownFindingState = 'detected' | 'confirmed' | 'dismissed' | 'resolved';

export interface KnownFinding {
  /** The finding's identity, as gating/reports computes it for this project (Finding.id). */
  readonly id: string;
  readonly reportType: string;
  readonly severity: Severity;
  readonly name: string;
  readonly state: KnownFindingState;
  /** ISO time first seen on the default branch: the age vulnerability_age measures. */
  readonly firstSeen: string;
}

/** By id. An empty map: records are kept, and none is known for this project yet. */
export type KnownFindings = ReadonlyMap<string, KnownFinding>;

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

/** Records as the store returns them → the gate's input; a severity outside GitLab's list is `unknown`, as GitLab reads one. */
export function knownFindingsOf(
  records: readonly { readonly identity: string; readonly reportType: string; readonly severity: string; readonly name: string; readonly state: KnownFindingState; readonly firstSeen: string }[],
): KnownFindings {
  return new Map(
    records.map((record) => [
      record.identity,
      {
        id: record.identity,
        reportType: record.reportType,
        severity: SEVERITIES.find((severity) => severity === record.severity) ?? 'unknown',
        name: record.name,
        state: record.state,
        firstSeen: record.firstSeen,
      },
    ]),
  );
}
