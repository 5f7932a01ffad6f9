/**
 * The verifier's answer for one pipeline: every check with whether it held and, when not, why in
 * words a developer acts on. `pending` while the pipeline still runs (it is verified again when it
 * ends). The JSON form is what `verify --report` writes.
 */

export type VerdictState = 'verified' | 'failed' | 'pending';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly reason: string;
}

export interface Verdict {
  readonly project: string;
  readonly pipeline: number | null;
  readonly sha: string;
  readonly state: VerdictState;
  readonly verified: boolean;
  /** One sentence for the commit status description and logs. */
  readonly summary: string;
  readonly checks: readonly Check[];
}

export function verdictOf(subject: { project: string; pipeline: number | null; sha: string }, checks: readonly Check[], pending?: string): Verdict {
  if (pending !== undefined) return { ...subject, state: 'pending', verified: false, summary: pending, checks };
  const failed = checks.filter((check) => !check.ok);
  if (failed.length === 0) {
    return { ...subject, state: 'verified', verified: true, summary: `all ${checks.length} checks passed`, checks };
  }
  const first = failed[0]?.reason ?? '';
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return { ...subject, state: 'failed', verified: false, summary: `${first}${more}`, checks };
}

/** `verify --report`: `{project, pipeline, sha, verified, state, checks}`, fields in a fixed order. */
export function emitVerdictJson(verdict: Verdict): string {
  const { project, pipeline, sha, verified, state, summary, checks } = verdict;
  return JSON.stringify({ project, pipeline, sha, verified, state, summary, checks: checks.map(({ name, ok, reason }) => ({ name, ok, reason })) }, null, 2) + '\n';
}

export function check(name: string, ok: boolean, reason: string): Check {
  return { name, ok, reason };
}
