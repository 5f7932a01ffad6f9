/**
 * One project's audit result: a plain typed record, the same for every output format and for a
 * policy store. Values from GitLab (paths, statuses, variable names) are kept as GitLab gave
 * them; the formats escape them.
 */
import { UsageError } from '../errors.js';

export interface AppliedPolicy {
  readonly name: string;
  readonly type: string;
  readonly policyProject: string;
  readonly applied: boolean;
  readonly reason: string;
}

export interface DriftFinding {
  /** Stable: `variable-shadows-predefined`, `variable-overrides-sidecar`, `pipeline-variables-developer`. */
  readonly code: string;
  readonly message: string;
}

export interface AuditRow {
  readonly id: number;
  readonly project: string;
  /** ok: audited; gone: moved out of the group or deleted during the run; forbidden: the token cannot read it. */
  readonly state: 'ok' | 'gone' | 'forbidden';
  /** The CI configuration file points at the central file. */
  readonly enforced: boolean;
  /** As GitLab stores it; null is GitLab's default (.gitlab-ci.yml); undefined when hidden from the token. */
  readonly ciConfigPath: string | null | undefined;
  readonly policies: readonly AppliedPolicy[];
  /** Latest pipeline of the default branch. */
  readonly pipeline: { readonly id: number; readonly status: string; readonly sha: string } | null;
  /** State of the `policy-sidecar/verified` commit status on that SHA; `none` when absent. */
  readonly verified: string;
  readonly drift: readonly DriftFinding[];
  /** What could not be read, per project (e.g. variables without the Maintainer role). */
  readonly notes: readonly string[];
}

/** The name of the verifier's commit status (issue #13). */
export const VERIFIED_STATUS = 'policy-sidecar/verified';

/** A row read back from a shard's JSON lines: the fields every format reads are checked. */
export function checkAuditRow(value: unknown, where: string): AuditRow {
  const row = value as Partial<AuditRow> | null; // each field the formats read is checked below
  const valid =
    typeof value === 'object' &&
    row !== null &&
    Number.isInteger(row.id) &&
    typeof row.project === 'string' &&
    (row.state === 'ok' || row.state === 'gone' || row.state === 'forbidden') &&
    typeof row.enforced === 'boolean' &&
    (row.ciConfigPath === undefined || row.ciConfigPath === null || typeof row.ciConfigPath === 'string') &&
    Array.isArray(row.policies) &&
    (row.pipeline === null || (typeof row.pipeline === 'object' && typeof row.pipeline?.status === 'string')) &&
    typeof row.verified === 'string' &&
    Array.isArray(row.drift) &&
    Array.isArray(row.notes);
  if (!valid) throw new UsageError('bad-shard-file', `${where}: not an audit row`, { hint: "Merge the shards' --format jsonl outputs of audit." });
  return row as AuditRow; // checked above
}
