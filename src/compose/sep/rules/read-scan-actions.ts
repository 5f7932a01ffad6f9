/**
 * The `actions` of a scan execution policy (gitlab-pep-sep.md §4.2), read from the validated raw
 * YAML, plus the identity GitLab's `uniq` compares: two actions are duplicates when their whole
 * mappings are equal (Ruby Hash equality, so key order does not matter).
 */
import type { ScanAction } from './scan-action.js';
import { CiReferenceTag, isMap, isSeq, scalarToString, type CiMap, type CiValue } from '../../../ci/value.js';

/** An action as written: the settings a ScanAction carries, before its scan is checked and it is numbered. */
export type RawScanAction = Omit<ScanAction, 'policy' | 'index' | 'scan'> & {
  /** Position in the policy's `actions` list. */
  readonly index: number;
  readonly scan: string;
  /** Canonical text of the whole mapping: equal keys mean exact duplicates. */
  readonly identity: string;
};

export function readScanActions(raw: CiMap): RawScanAction[] {
  const list = raw['actions'];
  if (!isSeq(list)) return [];
  const actions: RawScanAction[] = [];
  list.forEach((entry, index) => {
    if (!isMap(entry)) return;
    actions.push(readScanAction(entry, index));
  });
  return actions;
}

function readScanAction(entry: CiMap, index: number): RawScanAction {
  const variables: Record<string, string> = {};
  const rawVariables = entry['variables'];
  if (isMap(rawVariables)) {
    for (const [key, value] of Object.entries(rawVariables)) {
      if (value === null || typeof value !== 'object') variables[key] = scalarToString(value);
    }
  }
  const tags = entry['tags'];
  const settings = entry['scan_settings'];
  const site = entry['site_profile'];
  const scanner = entry['scanner_profile'];
  return {
    index,
    scan: typeof entry['scan'] === 'string' ? entry['scan'] : '',
    variables,
    tags: isSeq(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : undefined,
    template: entry['template'] === 'latest' ? 'latest' : 'default',
    ignoreDefaultBeforeAfterScript: isMap(settings) && settings['ignore_default_before_after_script'] === true,
    siteProfile: site === null ? null : typeof site === 'string' ? site : undefined,
    scannerProfile: typeof scanner === 'string' ? scanner : undefined,
    identity: canonicalText(entry),
  };
}

/** JSON with mapping keys sorted, so equal mappings give equal text whatever their key order. */
export function canonicalText(value: CiValue): string {
  if (value instanceof CiReferenceTag) return `!reference${JSON.stringify(value.path)}`;
  if (isSeq(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalText(value[key] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
