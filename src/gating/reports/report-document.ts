/**
 * The parts of a validated report document that we read, as TypeScript types. The schemas in
 * security-report-schema.ts and cyclonedx-schema.ts guarantee these shapes; validate-report.ts is
 * the only place that turns `unknown` into them.
 */
import type { REPORT_SEVERITIES } from './security-report-schema.js';

export interface ReportIdentifier {
  readonly type: string;
  readonly name: string;
  readonly value: string;
  readonly url?: string;
}

export interface ReportDependency {
  readonly package: { readonly name: string };
  readonly version: string;
}

/** Every location field of every report type; which ones are set depends on the type. */
export interface ReportLocation {
  readonly file?: string;
  readonly start_line?: number;
  readonly end_line?: number;
  readonly class?: string;
  readonly method?: string;
  readonly commit?: { readonly sha: string };
  readonly dependency?: ReportDependency;
  readonly image?: string;
  readonly default_branch_image?: string;
  readonly operating_system?: string;
  readonly hostname?: string;
  readonly path?: string;
  readonly param?: string;
  readonly crash_type?: string;
  readonly crash_state?: string;
}

/** `tracking` (security-report-schemas: source tracking with per-item signatures). */
export interface ReportTracking {
  readonly type?: string;
  readonly items?: readonly {
    readonly file?: string;
    readonly signatures?: readonly { readonly algorithm: string; readonly value: string }[];
  }[];
}

export interface ReportVulnerability {
  readonly id: string;
  readonly name?: string;
  readonly severity?: (typeof REPORT_SEVERITIES)[number];
  readonly solution?: string;
  readonly identifiers: readonly [ReportIdentifier, ...ReportIdentifier[]];
  readonly flags?: readonly { readonly type: string }[];
  readonly location: ReportLocation;
  readonly tracking?: ReportTracking;
}

export interface SecurityReportDocument {
  readonly version: string;
  readonly scan: {
    readonly type: string;
    readonly status: 'success' | 'failure';
    readonly scanner: { readonly id: string; readonly name: string };
    readonly analyzer: { readonly id: string; readonly name: string };
    readonly messages?: readonly { readonly level: string; readonly value: string }[];
  };
  readonly vulnerabilities: readonly ReportVulnerability[];
  readonly remediations?: readonly { readonly fixes: readonly { readonly id: string }[] }[];
}

export interface CycloneDxLicenseChoice {
  readonly license?: { readonly id?: string; readonly name?: string };
  readonly expression?: string;
}

export interface CycloneDxComponent {
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
  readonly licenses?: readonly CycloneDxLicenseChoice[];
  readonly components?: readonly CycloneDxComponent[];
}

export interface CycloneDxDocument {
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: string;
  readonly components?: readonly CycloneDxComponent[];
}
