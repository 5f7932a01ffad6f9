/**
 * CycloneDX components → licence components (gitlab-approvals-status-checks.md §3.4). Each
 * `licenses[]` entry becomes refs: `license.id` is an SPDX id, `license.name` a free name, and an
 * `expression` is split into its licences (see splitLicenseExpression). A component without
 * licences gets `licenses: []`: unknown, which licence rules decide on, not us.
 */
import type { LicenseComponent, LicenseRef } from '../findings-model.js';
import type { CycloneDxComponent, CycloneDxDocument, CycloneDxLicenseChoice } from './report-document.js';

export function readSbomComponents(document: CycloneDxDocument): LicenseComponent[] {
  const components: LicenseComponent[] = [];
  const visit = (component: CycloneDxComponent): void => {
    const refs = (component.licenses ?? []).flatMap(toLicenseRefs);
    components.push({
      name: component.name,
      version: component.version,
      purl: component.purl,
      // Zero or one licence has no repeat: no key and no Set for most components.
      licenses: refs.length < 2 ? refs : dedupeRefs(refs),
    });
    for (const child of component.components ?? []) visit(child);
  };
  for (const component of document.components ?? []) visit(component);
  return components;
}

function toLicenseRefs(choice: CycloneDxLicenseChoice): LicenseRef[] {
  if (choice.license !== undefined) return [{ spdxId: choice.license.id, name: choice.license.name }];
  if (choice.expression === undefined) return [];
  const expression = choice.expression;
  return splitLicenseExpression(expression).map((spdxId) => ({ spdxId, name: undefined, expression }));
}

/**
 * The licences an SPDX expression names, in order, without repeats: parentheses are dropped
 * and the expression is cut at `AND` / `OR`, so `(MIT OR Apache-2.0) AND BSD-3-Clause` gives
 * MIT, Apache-2.0, BSD-3-Clause. A `WITH` exception stays with its licence
 * (`GPL-2.0-only WITH Classpath-exception-2.0`). The choice an `OR` offers is not modelled:
 * every named licence is listed and the expression kept beside it, so a rule can tell.
 */
export function splitLicenseExpression(expression: string): string[] {
  const terms = expression
    .replace(/[()]/g, ' ')
    .split(/\s+(?:AND|OR|and|or)\s+/)
    .map((term) => term.trim().replace(/\s+/g, ' '))
    .filter((term) => term !== '');
  return [...new Set(terms)];
}

function dedupeRefs(refs: readonly LicenseRef[]): LicenseRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = `${ref.spdxId ?? ''}\u0000${ref.name ?? ''}\u0000${ref.expression ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Components of several SBOMs as one list: the same component (name, version, purl) listed
 * twice is one, with the union of its licences; sorted by name, version, purl.
 */
export function mergeComponents(components: readonly LicenseComponent[]): LicenseComponent[] {
  const byKey = new Map<string, LicenseComponent>();
  for (const component of components) {
    const key = `${component.name}\u0000${component.version ?? ''}\u0000${component.purl ?? ''}`;
    const known = byKey.get(key);
    byKey.set(key, known === undefined ? component : { ...known, licenses: dedupeRefs([...known.licenses, ...component.licenses]) });
  }
  return [...byKey.values()]
    // Zero or one licence is already in order: the component is kept as it is, not copied.
    .map((component) => (component.licenses.length < 2 ? component : { ...component, licenses: [...component.licenses].sort(compareRefs) }))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.version ?? '', b.version ?? '') || compareText(a.purl ?? '', b.purl ?? ''));
}

function compareRefs(a: LicenseRef, b: LicenseRef): number {
  return compareText(a.spdxId ?? '', b.spdxId ?? '') || compareText(a.name ?? '', b.name ?? '') || compareText(a.expression ?? '', b.expression ?? '');
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
