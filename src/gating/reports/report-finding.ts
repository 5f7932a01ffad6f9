/**
 * A finding read from a report (map-findings.ts), whose GitLab UUID is hashed only when
 * something reads `id`. Of the 26,000 findings of a large merge request's two pipelines, only
 * those in the output (violations, store records) need it: which findings are the same is
 * decided by identityKey (finding-identity.ts#findingIdentityKey), equal exactly when the ids
 * are, which costs no SHA-1. Everything else is the plain Finding it stands for: `toJSON` gives
 * the same object, key for key and in the same order, as the object literal it replaces.
 */
import type { Finding, Identifier, ReportType, Severity, TrackingSignature } from '../findings-model.js';
import { findingUuid, type IdentityHashes } from './finding-identity.js';

/** What the UUID needs besides the finding: one object for all the findings of a report. */
export interface IdentityContext {
  readonly projectId: number | string | undefined;
  readonly hashes: IdentityHashes | undefined;
}

export class ReportFinding implements Finding {
  readonly #key: string;
  readonly #context: IdentityContext;
  #id: string | undefined;

  constructor(
    readonly reportType: ReportType,
    readonly reportId: string | undefined,
    readonly scanner: { readonly id: string; readonly name: string },
    readonly primaryIdentifier: Identifier,
    readonly identifiers: readonly Identifier[],
    readonly locationFingerprint: string,
    readonly name: string,
    readonly severity: Severity,
    readonly location: string,
    readonly falsePositive: boolean | undefined,
    readonly fixAvailable: boolean | undefined,
    readonly reportFile: string | undefined,
    readonly signatures: readonly TrackingSignature[] | undefined,
    key: string,
    context: IdentityContext,
    id?: string,
  ) {
    this.#key = key;
    this.#context = context;
    this.#id = id;
  }

  /** Reports carry no state or detection time (the policy store does, by id). */
  get state(): undefined {
    return undefined;
  }

  get detectedAt(): undefined {
    return undefined;
  }

  get id(): string {
    this.#id ??= findingUuid(this.reportType, this.primaryIdentifier, this.locationFingerprint, this.signatures, this.#context.projectId, this.#context.hashes);
    return this.#id;
  }

  /** Equal for two findings of readReports exactly when their ids are equal. */
  get identityKey(): string {
    return this.#key;
  }

  /** The same finding under another finding's identity (calibrate-finding-ids.ts): its id and key. */
  withIdentityOf(known: ReportFinding): ReportFinding {
    return new ReportFinding(
      this.reportType,
      this.reportId,
      this.scanner,
      this.primaryIdentifier,
      this.identifiers,
      this.locationFingerprint,
      this.name,
      this.severity,
      this.location,
      this.falsePositive,
      this.fixAvailable,
      this.reportFile,
      this.signatures,
      known.#key,
      known.#context,
      known.id,
    );
  }

  /** The plain Finding, as JSON.stringify and the reports' goldens see it. */
  toJSON(): Finding {
    const finding: Finding = {
      reportType: this.reportType,
      id: this.id,
      reportId: this.reportId,
      scanner: this.scanner,
      primaryIdentifier: this.primaryIdentifier,
      identifiers: this.identifiers,
      locationFingerprint: this.locationFingerprint,
      name: this.name,
      severity: this.severity,
      location: this.location,
      state: undefined,
      detectedAt: undefined,
      falsePositive: this.falsePositive,
      fixAvailable: this.fixAvailable,
      reportFile: this.reportFile,
    };
    return this.signatures === undefined ? finding : { ...finding, signatures: this.signatures };
  }
}

/**
 * How to tell findings apart in one comparison: by identity key when every finding is one of
 * readReports (the key is equal exactly when the id is), else by id, so findings built
 * elsewhere (tests, other callers) compare as they always did.
 */
export function identityOf(...lists: readonly (readonly Finding[])[]): (finding: Finding) => string {
  return lists.every((list) => list.every((finding) => finding instanceof ReportFinding)) ? keyOf : idOf;
}

function keyOf(finding: Finding): string {
  // Only reached when identityOf checked every finding is a ReportFinding.
  return (finding as ReportFinding).identityKey;
}

function idOf(finding: Finding): string {
  return finding.id;
}
