/**
 * `license_finding` rules (§2.5) over CycloneDX components. Licences to check, by
 * `license_states`: newly_detected alone = (licence, package) pairs of the source the target
 * lacks (a known licence on a new dependency counts as new); detected alone = the target's;
 * both = source ∪ target. A denylist violates when a listed licence has a dependency not
 * excepted by purl prefix; an allowlist when a licence is not listed, or is listed but used by an
 * excepted package. A component without licences is "unknown".
 */
import type { LicenseComponent, LicenseRef, ReportSet } from '../findings-model.js';
import type { LicenseFindingRule } from './approval-policy.js';
import { InternalError } from '../../errors.js';
import { displayName, licensesOf, namesLicense } from './license-names.js';
import type { LicenseNames } from './spdx-license-names.js';
import { invalidReportError, plural, type LicenseViolation, type RuleCheck, type RuleError, type RuleInputs } from './rule-check.js';

interface LicenseUse {
  readonly license: LicenseRef | undefined;
  readonly component: LicenseComponent;
  /** displayName of the licence, `unknown` without one: worked out once per use, not per comparison. */
  readonly name: string;
  /** The licence's display name and the package: one use of a licence. */
  readonly key: string;
}

export function checkLicenseFindingRule(rule: LicenseFindingRule, inputs: RuleInputs): RuleCheck {
  const { source, target, licenseNames: names } = inputs;
  if (names === undefined) throw new InternalError('license-names-missing', 'a license_finding rule was checked without the SPDX licence list', { hint: 'The caller must load it with loadSpdxLicenseNames().' });
  const checksNew = rule.licenseStates.includes('newly_detected');
  const checksDetected = rule.licenseStates.includes('detected');
  const error = invalidReportError((kind) => kind === 'cyclonedx', source, target) ?? sbomError(checksNew, source, target);
  const sourceUses = usesOf(source, names);
  const targetUses = target === undefined ? [] : usesOf(target, names);
  const targetKeys = new Set(targetUses.map(keyOf));
  const toCheck = checksNew && checksDetected ? [...sourceUses, ...targetUses] : checksNew ? sourceUses.filter((use) => !targetKeys.has(keyOf(use))) : targetUses;
  const licenses = findViolations(rule, toCheck, names);
  const scope = checksNew && checksDetected ? 'licences of both branches' : checksNew ? 'newly detected licences' : 'licences already on the target branch';
  const reasons = [
    licenses.length === 0
      ? `no ${rule.listKind === 'denied' ? 'denied' : 'unallowed'} licence among the ${scope} (${plural(new Set(toCheck.map(keyOf)).size, 'licence use')})`
      : `${plural(licenses.length, 'licence')} out of policy among the ${scope}: ${licenses.map((item) => `${item.license} (used by ${item.dependencies.join(', ')})`).join('; ')}`,
  ];
  const unknown = unknownLicenseReason(toCheck);
  if (unknown !== undefined) reasons.push(unknown);
  return { violated: licenses.length > 0, error, reasons, findings: [], licenses, unsignedCommits: [] };
}

/**
 * Components whose SBOM entry has no licence. GitLab then looks the package up in its licence
 * database (package metadata, synced from public registries; §3.4), which we do not have
 * offline: they are `unknown`, and a policy decides on them by listing `unknown` (allowed or
 * denied). Said once per rule, so the verdict on them is never a surprise.
 */
function unknownLicenseReason(uses: readonly LicenseUse[]): string | undefined {
  const components = [...new Set(uses.filter((use) => use.license === undefined).map((use) => use.component.name))].sort();
  if (components.length === 0) return undefined;
  const shown = components.length > 10 ? `${components.slice(0, 10).join(', ')} and ${components.length - 10} more` : components.join(', ');
  return `${plural(components.length, 'component')} without a licence in the SBOM (${shown}): GitLab would look ${components.length === 1 ? 'it' : 'them'} up in its licence database, which policy-sidecar cannot, so ${components.length === 1 ? 'it counts' : 'they count'} as "unknown"; list "unknown" in the rule's licences to allow or deny ${components.length === 1 ? 'it' : 'them'}`;
}

function sbomError(checksNew: boolean, source: ReportSet, target: ReportSet | undefined): RuleError | undefined {
  if (checksNew && !source.hasSbom) return { code: 'ARTIFACTS_MISSING', message: 'no CycloneDX SBOM in the source pipeline: licences cannot be checked' };
  if (target === undefined) return { code: 'TARGET_PIPELINE_MISSING', message: 'no target-branch pipeline to compare licences with' };
  if (!target.hasSbom) return { code: 'ARTIFACTS_MISSING', message: 'SBOM reports not found on the target branch' };
  return undefined;
}

function usesOf(set: ReportSet, names: LicenseNames): LicenseUse[] {
  return set.components.flatMap((component) =>
    licensesOf(component).map((license) => {
      const shown = license === undefined ? undefined : displayName(license, names);
      return { license, component, name: shown ?? 'unknown', key: `${shown ?? ''}\u0000${component.name}` };
    }),
  );
}

function keyOf(use: LicenseUse): string {
  return use.key;
}

function findViolations(rule: LicenseFindingRule, uses: readonly LicenseUse[], names: LicenseNames): LicenseViolation[] {
  const byLicense = new Map<string, LicenseUse[]>();
  for (const use of uses) {
    const group = byLicense.get(use.name);
    if (group === undefined) byLicense.set(use.name, [use]);
    else group.push(use);
  }
  const violations: LicenseViolation[] = [];
  for (const [license, group] of byLicense) {
    const entry = rule.licenses.find((item) => namesLicense(item.name, group[0]?.license, names));
    const excepted = (use: LicenseUse): boolean => entry?.excludedPurls.some((purl) => use.component.purl?.startsWith(purl) === true) === true;
    let offending: LicenseUse[];
    if (rule.listKind === 'denied') offending = entry === undefined ? [] : group.filter((use) => !excepted(use));
    else offending = entry === undefined ? group : group.filter(excepted);
    if (offending.length > 0) violations.push({ license, dependencies: [...new Set(offending.map((use) => use.component.name))].sort() });
  }
  return violations.sort((a, b) => (a.license < b.license ? -1 : a.license > b.license ? 1 : 0));
}
