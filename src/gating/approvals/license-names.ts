/**
 * Licence names as policies write them. GitLab's policy editor and `license_types` use SPDX
 * *names* ("MIT License"); SBOMs mostly carry SPDX *ids* ("MIT"). GitLab's newer checker maps ids
 * to names (§1.3, license_expression_checker.rb); we do the same for the common licences and
 * otherwise compare ids and names as written, ignoring case. A component without licences is
 * "unknown", GitLab's word for it.
 */
import type { LicenseComponent, LicenseRef } from '../findings-model.js';

export const UNKNOWN_LICENSE = 'unknown';

/** SPDX id → SPDX full name (spdx.org/licenses), for the licences policies name most. */
const SPDX_NAMES: Readonly<Record<string, string>> = {
  '0BSD': 'BSD Zero Clause License',
  'AGPL-3.0-only': 'GNU Affero General Public License v3.0 only',
  'AGPL-3.0-or-later': 'GNU Affero General Public License v3.0 or later',
  'Apache-2.0': 'Apache License 2.0',
  'BSD-2-Clause': 'BSD 2-Clause "Simplified" License',
  'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License',
  'BSL-1.0': 'Boost Software License 1.0',
  'CC0-1.0': 'Creative Commons Zero v1.0 Universal',
  'EPL-2.0': 'Eclipse Public License 2.0',
  'GPL-2.0-only': 'GNU General Public License v2.0 only',
  'GPL-2.0-or-later': 'GNU General Public License v2.0 or later',
  'GPL-3.0-only': 'GNU General Public License v3.0 only',
  'GPL-3.0-or-later': 'GNU General Public License v3.0 or later',
  ISC: 'ISC License',
  'LGPL-2.1-only': 'GNU Lesser General Public License v2.1 only',
  'LGPL-2.1-or-later': 'GNU Lesser General Public License v2.1 or later',
  'LGPL-3.0-only': 'GNU Lesser General Public License v3.0 only',
  'LGPL-3.0-or-later': 'GNU Lesser General Public License v3.0 or later',
  MIT: 'MIT License',
  'MPL-2.0': 'Mozilla Public License 2.0',
  'SSPL-1.0': 'Server Side Public License, v 1',
  Unlicense: 'The Unlicense',
  Zlib: 'zlib License',
};

/** Every spelling that names this licence: id, name, and the SPDX name of the id. */
function spellingsOf(license: LicenseRef): string[] {
  const spdxName = license.spdxId === undefined ? undefined : SPDX_NAMES[license.spdxId];
  return [license.spdxId, license.name, spdxName].filter((name): name is string => name !== undefined && name !== '').map((name) => name.toLowerCase());
}

/** How the licence is shown: its SPDX name when known, else what the SBOM says. */
export function displayName(license: LicenseRef): string {
  return (license.spdxId === undefined ? undefined : SPDX_NAMES[license.spdxId]) ?? license.name ?? license.spdxId ?? UNKNOWN_LICENSE;
}

/** Whether a policy's licence name (`MIT License`, `MIT`, `unknown`) names this licence. */
export function namesLicense(policyName: string, license: LicenseRef | undefined): boolean {
  const wanted = policyName.toLowerCase();
  if (license === undefined) return wanted === UNKNOWN_LICENSE;
  return spellingsOf(license).includes(wanted);
}

/** The component's licences; one `undefined` (unknown) when it declares none. */
export function licensesOf(component: LicenseComponent): readonly (LicenseRef | undefined)[] {
  return component.licenses.length === 0 ? [undefined] : component.licenses;
}
