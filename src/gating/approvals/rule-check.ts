/**
 * What one rule's check finds, before `fallback_behavior` decides what an error means
 * (evaluate-approval-policies.ts). Error codes are GitLab's (§2.4) so the bot comment and the
 * report use the words GitLab users know.
 */
import type { Finding, InvalidReport, ReportSet, Severity } from '../findings-model.js';
import type { KnownFindings } from './known-findings.js';
import type { LicenseNames } from './spdx-license-names.js';

/** GitLab's codes, plus REPORT_INVALID (ours: a report GitLab would refuse, so its findings are unknown). */
export type RuleErrorCode = 'SCAN_REMOVED' | 'TARGET_PIPELINE_MISSING' | 'ARTIFACTS_MISSING' | 'EVALUATION_SKIPPED' | 'REPORT_INVALID';

export interface RuleError {
  readonly code: RuleErrorCode;
  readonly message: string;
}

export interface FindingSummary {
  readonly id: string;
  /** The report type, GitLab's `scanners:` vocabulary (sast, dependency_scanning...). */
  readonly scanner: string;
  readonly severity: Severity;
  readonly name: string;
  /** Newly detected: in the source pipeline and not in the target's. */
  readonly new: boolean;
  /** For people (bot comment): file and line, image and package... */
  readonly location: string;
}

export interface LicenseViolation {
  readonly license: string;
  /** Dependency names, sorted. */
  readonly dependencies: readonly string[];
}

export interface RuleCheck {
  readonly violated: boolean;
  readonly error: RuleError | undefined;
  readonly reasons: readonly string[];
  readonly findings: readonly FindingSummary[];
  readonly licenses: readonly LicenseViolation[];
  readonly unsignedCommits: readonly string[];
}

export interface RuleInputs {
  readonly source: ReportSet;
  /** undefined: no target-branch pipeline. */
  readonly target: ReportSet | undefined;
  /** Pre-existing states count only when the MR targets the default branch (§2.2). */
  readonly targetIsDefault: boolean;
  readonly mergeRequest: { readonly commits: readonly { readonly sha: string; readonly signed: boolean }[] } | undefined;
  readonly now: Date;
  /** The SPDX list, loaded by the edge only when a policy has a license_finding rule. */
  readonly licenseNames: LicenseNames | undefined;
  /** The project's default-branch findings and their states (the policy store); undefined without a store. */
  readonly knownFindings?: KnownFindings | undefined;
}

/**
 * An invalid report the rule needs, in either pipeline: GitLab refuses it (a pipeline error), so
 * what it would have said is unknown and the rule cannot be judged; fallback_behavior decides.
 * Every such file is named, with its problem, so one run shows them all.
 */
export function invalidReportError(needs: (kind: InvalidReport['kind']) => boolean, source: ReportSet, target: ReportSet | undefined): RuleError | undefined {
  const invalid = [...(source.invalid ?? []).map((report) => ({ report, side: 'source' })), ...(target?.invalid ?? []).map((report) => ({ report, side: 'target' }))].filter(({ report }) =>
    needs(report.kind),
  );
  if (invalid.length === 0) return undefined;
  const problems = invalid.map(({ report, side }) => `${side} ${report.message}`);
  return { code: 'REPORT_INVALID', message: `${plural(invalid.length, 'report')} the rule needs ${invalid.length === 1 ? 'is' : 'are'} invalid, so ${invalid.length === 1 ? 'its' : 'their'} findings are unknown: ${problems.join('; ')}` };
}

export const EMPTY_CHECK: RuleCheck = { violated: false, error: undefined, reasons: [], findings: [], licenses: [], unsignedCommits: [] };

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

export function summarizeFinding(finding: Finding, isNew: boolean): FindingSummary {
  return { id: finding.id, scanner: finding.reportType, severity: finding.severity, name: finding.name, new: isNew, location: finding.location };
}

/** Most severe first, then new before pre-existing, then by id: the same input gives the same order. */
export function compareFindings(a: FindingSummary, b: FindingSummary): number {
  const bySeverity = SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity);
  if (bySeverity !== 0) return bySeverity;
  if (a.new !== b.new) return a.new ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
