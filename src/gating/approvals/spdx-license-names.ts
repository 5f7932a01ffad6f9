/**
 * SPDX licence ids ↔ full names, from the whole SPDX License List (the `spdx-license-list`
 * package, ~730 ids, deprecated ones included), so a policy naming "Creative Commons Attribution
 * 3.0 Unported" matches an SBOM's `CC-BY-3.0`. GitLab's policies and licence database use the
 * SPDX names (gitlab-approvals-status-checks.md §1.3, §3.4).
 *
 * Loaded on demand: the list costs a few milliseconds to load, which only `evaluate` with a
 * `license_finding` rule should pay, so the edge awaits loadSpdxLicenseNames and passes the
 * result in; the core stays synchronous and pure.
 */

export interface LicenseNames {
  /** The SPDX full name of an id (`CC-BY-3.0` → `Creative Commons Attribution 3.0 Unported`), any case. */
  nameOf(spdxId: string): string | undefined;
  /** The SPDX ids of a full name, any case (a deprecated id shares its successor's name); none when not on the list. */
  idsOf(name: string): readonly string[];
}

export async function loadSpdxLicenseNames(): Promise<LicenseNames> {
  const { default: list } = await import('spdx-license-list');
  const names = new Map<string, string>();
  const ids = new Map<string, string[]>();
  for (const [id, license] of Object.entries(list)) {
    names.set(id.toLowerCase(), license.name);
    const key = license.name.toLowerCase();
    const known = ids.get(key);
    if (known === undefined) ids.set(key, [id]);
    else known.push(id);
  }
  return {
    nameOf: (spdxId) => names.get(spdxId.toLowerCase()),
    idsOf: (name) => ids.get(name.toLowerCase()) ?? [],
  };
}
