/**
 * One typed model for every security report the gate reads (gitlab-approvals-status-checks.md
 * §3): findings with GitLab's identity, so the same finding in two pipelines is recognised as
 * the same, and licence components from CycloneDX SBOMs. Built by gating/reports (parsing),
 * consumed by gating/approvals (decisions). Pure data.
 */

export type ReportType = 'sast' | 'secret_detection' | 'dependency_scanning' | 'container_scanning' | 'dast' | 'api_fuzzing' | 'coverage_fuzzing' | 'cluster_image_scanning';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown';

export interface Identifier {
  /** e.g. `cve`, `cwe`, `gemnasium`, `semgrep_id`. */
  readonly type: string;
  readonly name: string;
  readonly value: string;
}

export interface Finding {
  readonly reportType: ReportType;
  /**
   * GitLab's finding identity (§3.3): a UUIDv5 of report type + primary identifier fingerprint +
   * location fingerprint (+ project id when known, then equal to GitLab's finding UUID). The
   * scanner is not part of it, as in GitLab. Equal ids across pipelines: the same finding.
   * Findings of readReports hash it when it is first read (gating/reports/report-finding.ts).
   */
  readonly id: string;
  /** The report's own `id` (a UUID), when it has one; informative only. */
  readonly reportId: string | undefined;
  readonly scanner: { readonly id: string; readonly name: string };
  readonly primaryIdentifier: Identifier;
  readonly identifiers: readonly Identifier[];
  /** What GitLab fingerprints for the location (file+lines / image+package / url+param...). */
  readonly locationFingerprint: string;
  readonly name: string;
  readonly severity: Severity;
  /** For people: `src/app.js:12`, `alpine:3.19 openssl 3.1`, `GET https://x/y`. */
  readonly location: string;
  /** `detected` etc. when the report says; most reports do not. */
  readonly state: string | undefined;
  /** ISO time the finding was first detected, when known (vulnerability_age). */
  readonly detectedAt: string | undefined;
  /** `false_positive`, `fix_available`... as far as the report tells (vulnerability_attributes). */
  readonly falsePositive: boolean | undefined;
  readonly fixAvailable: boolean | undefined;
  /** The report file the finding was read from (for explain output). */
  readonly reportFile?: string;
  /**
   * GitLab's vulnerability finding signatures from the report's `tracking`, highest priority
   * first (reports/tracking-signatures.ts); absent when the report gives none. With them, `id`
   * uses the first signature instead of the location fingerprint, as GitLab does.
   */
  readonly signatures?: readonly TrackingSignature[];
}

export interface TrackingSignature {
  /** `scope_offset_compressed`, `scope_offset`, `location`, `hash` or `rule_id`. */
  readonly algorithm: string;
  /** SHA-1 hex of the signature value (GitLab's FindingSignature#signature_hex). */
  readonly hex: string;
}

export interface LicenseRef {
  readonly spdxId: string | undefined;
  readonly name: string | undefined;
  /** The SPDX expression this ref was split from (`MIT OR Apache-2.0`), when it came from one. */
  readonly expression?: string;
}

export interface LicenseComponent {
  readonly name: string;
  readonly version: string | undefined;
  readonly purl: string | undefined;
  /** Empty: the licence is unknown. */
  readonly licenses: readonly LicenseRef[];
}

export interface ReportSet {
  readonly findings: readonly Finding[];
  readonly components: readonly LicenseComponent[];
  /** Report types present (a scanner that ran and found nothing still counts). */
  readonly reportTypes: ReadonlySet<ReportType>;
  /** True when at least one CycloneDX SBOM was read. */
  readonly hasSbom: boolean;
  /** Every file read, for the report. */
  readonly files: readonly string[];
  /** Files given but not recognised as a report (by name or content), so not read. */
  readonly skipped?: readonly string[];
  /**
   * Reports whose `scan.status` is `failure`: their findings are kept, but their report type
   * counts as present only if another report of that type succeeded.
   */
  readonly failedScans?: readonly { readonly file: string; readonly reportType: ReportType }[];
  /**
   * Scans the compose report says a policy applied whose report is not here (API mode,
   * gating/reports/compose-report-jobs.ts): rules that cover the type see them as missing.
   */
  readonly missingScans?: readonly { readonly reportType: ReportType; readonly why: string }[];
  /**
   * Report files that could not be read (not JSON, or failing their schema), each with every
   * problem named: GitLab refuses such a report, so its findings are unknown and the rules that
   * need it fall back on `fallback_behavior`. Absent when every file was valid.
   */
  readonly invalid?: readonly InvalidReport[];
}

export interface InvalidReport {
  readonly file: string;
  /** What the file was read as: a security report type, or `cyclonedx` for an SBOM. */
  readonly kind: ReportType | 'cyclonedx';
  /** `report-json`, `report-invalid`... (docs/errors.md). */
  readonly code: string;
  /** The problem, beginning with the file name. */
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}
