/**
 * GitLab's finding identity (gitlab-approvals-status-checks.md §3.3), reproduced exactly so that
 * our ids equal GitLab's finding UUIDs when the project id is known:
 *
 *   identifier fingerprint = sha1("<type>:<value>")                (reports/security/identifier.rb)
 *   location fingerprint   = sha1(<fingerprint data per type>)     (reports/security/locations/*.rb)
 *   uuid = uuidv5(58dc0f06-…, "<report_type>-<identifier fp>-<location fp>-<project_id>")
 *                                                                  (app/services/security/vulnerability_uuid.rb)
 *
 * The scanner is not part of GitLab's UUID, so it is not part of ours. With tracking signatures
 * (GitLab's `vulnerability_finding_signatures`, Ultimate), the highest-priority signature's hex
 * replaces the location fingerprint (common.rb#create_finding; tracking-signatures.ts). Not
 * reproduced: the newer per-"tracked context" v2 UUIDs on non-default tracked branches.
 */
import { hash } from 'node:crypto';
import type { ReportType, TrackingSignature } from '../findings-model.js';
import type { ReportIdentifier, ReportLocation } from './report-document.js';

/** GitLab's production namespace for finding UUIDs (config/initializers, Gitlab::UUID). */
export const FINDING_UUID_NAMESPACE = '58dc0f06-936c-43b3-93bb-71693f1b6570';

// One-shot hash() rather than createHash(): a report of 10,000 findings hashes each three times,
// and the one-shot form is about three times faster (no Hash object per call).
export function sha1Hex(value: string): string {
  return hash('sha1', value, 'hex');
}

const HEX_DIGITS = '0123456789abcdef';

// Namespace bytes, then the name, hashed from one reused buffer: no Buffer.from/concat per UUID,
// and one view per length (names of one report have a handful of lengths).
let uuidScratch = Buffer.allocUnsafe(512);
let scratchViews: Buffer[] = [];
let scratchNamespace = '';

/** RFC 4122 version-5 UUID (SHA-1, name-based), as Ruby's Digest::UUID.uuid_v5. */
export function uuidV5(namespace: string, name: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (16 + name.length * 3 > uuidScratch.length) {
    uuidScratch = Buffer.allocUnsafe(16 + name.length * 3);
    scratchViews = [];
    scratchNamespace = '';
  }
  if (namespace !== scratchNamespace) {
    const namespaceHex = namespace.replace(/-/g, '');
    // Not 16 bytes of hex: not a UUID, hashed as Buffer.from(hex) reads it.
    if (!/^[0-9a-fA-F]{32}$/.test(namespaceHex)) return formatUuid(hash('sha1', Buffer.concat([Buffer.from(namespaceHex, 'hex'), Buffer.from(name, 'utf8')]), 'hex'));
    uuidScratch.write(namespaceHex, 0, 16, 'hex');
    scratchNamespace = namespace;
  }
  const length = 16 + uuidScratch.write(name, 16, 'utf8');
  const view = (scratchViews[length] ??= uuidScratch.subarray(0, length));
  return formatUuid(hash('sha1', view, 'hex'));
}

/** The first 16 bytes of a SHA-1 (hex) as a version-5 UUID. */
function formatUuid(hex: string): string {
  // Byte 6: version 5 in the high nibble. Byte 8: variant 10xx in the high bits.
  const variant = HEX_DIGITS[(parseInt(hex.charAt(16), 16) & 0x3) | 0x8] ?? '';
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  // Reading a character makes V8 flatten the concatenation into one string now, once: ids are
  // then looked up in Maps and Sets (dedupe, newly detected) without comparing piece by piece.
  uuid.charCodeAt(0);
  return uuid;
}

/**
 * Identifier fingerprints already computed, by identifier type and value: one rule or CVE is the
 * primary identifier of many findings, in both pipelines of a merge request. (Location
 * fingerprints and UUIDs are not kept: they are nearly all distinct, and a cache of them cost
 * more than hashing again.)
 */
export interface IdentityHashes {
  identifierFingerprint(identifier: Pick<ReportIdentifier, 'type' | 'value'>): string;
}

export function createIdentityHashes(): IdentityHashes {
  const byType = new Map<string, Map<string, string>>();
  return {
    identifierFingerprint(identifier) {
      let byValue = byType.get(identifier.type);
      if (byValue === undefined) {
        byValue = new Map();
        byType.set(identifier.type, byValue);
      }
      let fingerprint = byValue.get(identifier.value);
      if (fingerprint === undefined) {
        fingerprint = identifierFingerprint(identifier);
        byValue.set(identifier.value, fingerprint);
      }
      return fingerprint;
    },
  };
}

const UNCACHED: IdentityHashes = { identifierFingerprint };

export function identifierFingerprint(identifier: Pick<ReportIdentifier, 'type' | 'value'>): string {
  return sha1Hex(`${identifier.type}:${identifier.value}`);
}

/** Ruby's "#{value}": nil interpolates as the empty string. */
function part(value: string | number | undefined): string {
  return value === undefined ? '' : String(value);
}

/**
 * The string GitLab hashes for a location. Secret detection uses SAST's formula
 * (locations/secret_detection.rb); API fuzzing uses DAST's location class.
 */
export function locationFingerprintData(reportType: ReportType, location: ReportLocation): string {
  switch (reportType) {
    case 'sast':
    case 'secret_detection':
      return `${part(location.file)}:${part(location.start_line)}:${part(location.end_line)}`;
    case 'dependency_scanning':
      // The version is deliberately not part of it: upgrading a still-vulnerable package is the same finding.
      return `${part(location.file)}:${part(location.dependency?.package.name)}`;
    case 'container_scanning':
    case 'cluster_image_scanning':
      return `${dockerImageNameWithoutTag(location)}:${part(location.dependency?.package.name)}`;
    case 'dast':
    case 'api_fuzzing':
      return `${part(location.path)}:${part(location.method)}:${part(location.param)}`;
    case 'coverage_fuzzing':
      return `${part(location.crash_type)}:${part(location.crash_state)}`;
  }
}

/**
 * locations/container_scanning.rb: the default-branch image when given, split at the LAST
 * colon; the tag is dropped unless it looks like a version (and not like a digest). Reproduced
 * as is, including its quirk that an image with no colon at all fingerprints as the empty name
 * (Ruby's "alpine".rpartition(':') is ["", "", "alpine"]).
 */
export function dockerImageNameWithoutTag(location: Pick<ReportLocation, 'image' | 'default_branch_image'>): string {
  const imageName = location.default_branch_image !== undefined && location.default_branch_image.trim() !== '' ? location.default_branch_image : (location.image ?? '');
  const colon = imageName.lastIndexOf(':');
  const baseName = colon === -1 ? '' : imageName.slice(0, colon);
  const version = colon === -1 ? imageName : imageName.slice(colon + 1);
  return isVersionLike(version) ? imageName : baseName;
}

// Gem::Version::ANCHORED_VERSION_PATTERN (the whole version is optional, so "" is "correct").
const GEM_VERSION = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;
const HASH_LIKE = /^[0-9a-f]{32,128}$/i;

function isVersionLike(version: string): boolean {
  return GEM_VERSION.test(version) && !HASH_LIKE.test(version);
}

export interface FindingIdentity {
  readonly id: string;
  readonly locationFingerprint: string;
}

/**
 * Without a project id the UUID name has no project part (`<type>-<id fp>-<loc fp>`): ids are
 * then stable and comparable between pipelines of one project, but are not GitLab's UUIDs.
 */
export function identifyFinding(
  reportType: ReportType,
  primaryIdentifier: Pick<ReportIdentifier, 'type' | 'value'>,
  location: ReportLocation,
  projectId: number | string | undefined,
  signatures: readonly TrackingSignature[] = [],
  hashes: IdentityHashes = UNCACHED,
): FindingIdentity {
  const locationFingerprint = locationFingerprintData(reportType, location);
  return { id: findingUuid(reportType, primaryIdentifier, locationFingerprint, signatures, projectId, hashes), locationFingerprint };
}

/** The UUID from the finding's parts (identifyFinding, and report-finding.ts when its id is read). */
export function findingUuid(
  reportType: ReportType,
  primaryIdentifier: Pick<ReportIdentifier, 'type' | 'value'>,
  locationFingerprint: string,
  signatures: readonly Pick<TrackingSignature, 'hex'>[] | undefined,
  projectId: number | string | undefined,
  hashes: IdentityHashes = UNCACHED,
): string {
  // Signatures come highest priority first; the first one stands in for the location.
  const locationPart = signatures?.[0]?.hex ?? sha1Hex(locationFingerprint);
  const name = `${reportType}-${hashes.identifierFingerprint(primaryIdentifier)}-${locationPart}`;
  return uuidV5(FINDING_UUID_NAMESPACE, projectId === undefined ? name : `${name}-${String(projectId)}`);
}

/**
 * A string equal for two findings exactly when their UUIDs are equal, made without hashing.
 * The UUID hashes the name `<report type>-<sha1 "type:value">-<sha1 location input>[-<project>]`,
 * where the location input is the location fingerprint data or the first signature's value. The
 * report type has no `-` and each SHA-1 is 40 hex digits, so two names are equal exactly when
 * the report types, the `type:value` strings, the location inputs and the project parts are
 * (short of a SHA-1 collision). The key is `<n>|<location input>`, where n numbers the
 * (report type, `type:value`, project) triple (identityPrefixOf): equal exactly when those are.
 */
export function findingIdentityKey(reportType: ReportType, primaryIdentifier: Pick<ReportIdentifier, 'type' | 'value'>, locationInput: string, projectId: number | string | undefined): string {
  const key = `${identityPrefixOf(reportType, primaryIdentifier, projectId)}|${locationInput}`;
  // Flattened now, once (see formatUuid): keys are looked up in Maps and Sets.
  key.charCodeAt(0);
  return key;
}

// Process-wide, so keys compare across every readReports of the process (the two sides of a
// merge request are read separately in API mode): one entry per distinct triple, a few
// thousand for the largest reports.
const prefixByTriple = new Map<string, number>();
// The same numbers by report type, project part, identifier type and value, so a finding's
// prefix is found without building its `type:value` string.
const prefixCache = new Map<string, Map<string, Map<string, number>>>();

/**
 * The number of (report type, `"type:value"`, project) for findingIdentityKey. Identifiers
 * `("a:b", "c")` and `("a", "b:c")` have one `type:value` string, so one number, as they have one
 * fingerprint in GitLab's UUID; the project part is `String(projectId)` (5 and "5" are one).
 */
function identityPrefixOf(reportType: ReportType, identifier: Pick<ReportIdentifier, 'type' | 'value'>, projectId: number | string | undefined): number {
  const byType = prefixesOf(reportType, projectId);
  let byValue = byType.get(identifier.type);
  if (byValue === undefined) byType.set(identifier.type, (byValue = new Map()));
  let prefix = byValue.get(identifier.value);
  if (prefix === undefined) {
    const triple = `${scopeOf(reportType, projectId)}|${identifier.type}:${identifier.value}`;
    prefix = prefixByTriple.get(triple);
    if (prefix === undefined) prefixByTriple.set(triple, (prefix = prefixByTriple.size));
    byValue.set(identifier.value, prefix);
  }
  return prefix;
}

function scopeOf(reportType: ReportType, projectId: number | string | undefined): string {
  const project = projectId === undefined ? '' : String(projectId);
  // The project's length first: `<scope>|<type:value>` then splits one way only.
  return `${reportType}|${projectId === undefined ? '' : `p${project.length}:${project}`}`;
}

// The last scope's numbers: a report's findings share their report type and project.
let lastScope: { reportType: ReportType; projectId: number | string | undefined; byType: Map<string, Map<string, number>> } | undefined;

function prefixesOf(reportType: ReportType, projectId: number | string | undefined): Map<string, Map<string, number>> {
  if (lastScope?.reportType === reportType && lastScope.projectId === projectId) return lastScope.byType;
  const scope = scopeOf(reportType, projectId);
  let byType = prefixCache.get(scope);
  if (byType === undefined) prefixCache.set(scope, (byType = new Map()));
  lastScope = { reportType, projectId, byType };
  return byType;
}
