/**
 * Licence names as policies write them. GitLab's policy editor and `license_types` use SPDX
 * *names* ("MIT License"); SBOMs mostly carry SPDX *ids* ("MIT"). GitLab's newer checker maps ids
 * to names (§1.3, license_expression_checker.rb); we do the same with the whole SPDX License List
 * (spdx-license-names.ts), both ways, and otherwise compare ids and names as written, ignoring
 * case. A component without licences is "unknown", GitLab's word for it.
 */
import type { LicenseComponent, LicenseRef } from '../findings-model.js';
import type { LicenseNames } from './spdx-license-names.js';

export const UNKNOWN_LICENSE = 'unknown';

/** Every spelling that names this licence: id, name, the SPDX name of the id and the SPDX ids of the name. */
function spellingsOf(license: LicenseRef, names: LicenseNames): string[] {
  const spdxName = license.spdxId === undefined ? undefined : names.nameOf(license.spdxId);
  const spdxIds = license.name === undefined ? [] : names.idsOf(license.name);
  return [license.spdxId, license.name, spdxName, ...spdxIds].filter((name): name is string => name !== undefined && name !== '').map((name) => name.toLowerCase());
}

/** How the licence is shown: its SPDX name when known, else what the SBOM says. */
export function displayName(license: LicenseRef, names: LicenseNames): string {
  return (license.spdxId === undefined ? undefined : names.nameOf(license.spdxId)) ?? license.name ?? license.spdxId ?? UNKNOWN_LICENSE;
}

/** Whether a policy's licence name (`MIT License`, `MIT`, `unknown`) names this licence. */
export function namesLicense(policyName: string, license: LicenseRef | undefined, names: LicenseNames): boolean {
  const wanted = policyName.toLowerCase();
  if (license === undefined) return wanted === UNKNOWN_LICENSE;
  return spellingsOf(license, names).includes(wanted);
}

/** The component's licences; one `undefined` (unknown) when it declares none. */
export function licensesOf(component: LicenseComponent): readonly (LicenseRef | undefined)[] {
  return component.licenses.length === 0 ? [undefined] : component.licenses;
}
