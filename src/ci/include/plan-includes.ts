/**
 * One file's `include:` value → the list of files to read, in GitLab's order of steps
 * (External::Mapper#process): normalize strings, filter by `rules`, expand locations (`file:`
 * lists, `local` wildcards), expand variables, then pick the include type of each entry.
 */
import { isSidecarError, type SourceLocation } from '../../errors.js';
import { expandVariables } from '../expand-variables.js';
import { locationOf, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { includeError } from './include-error.js';
import { describeIncludeValue, pickIncludeKind } from './include-kind.js';
import type { IncludeScope } from './include-scope.js';
import { hasDotSegment, hasWildcard, toRepositoryPath, wildcardMatcher } from './repository-path.js';
import type { IncludeKind } from './types.js';

/** One file to read, with the entry it came from. */
export interface PlannedInclude {
  readonly kind: IncludeKind;
  /** The local path, project file, URL, template name or component address, variables expanded. */
  readonly target: string;
  readonly entry: CiMap;
  readonly location: SourceLocation | undefined;
}

interface RawEntry {
  readonly entry: CiMap;
  readonly location: SourceLocation | undefined;
}

// Keys GitLab accepts in one include entry (Entry::Include: COMMON_ALLOWED_KEYS + additional).
const allowedKeys = new Set([
  'local', 'file', 'remote', 'project', 'ref', 'integrity', 'cache', 'template', 'artifact', 'inputs', 'job', 'rules', 'component',
]);
// Values VariablesExpander expands: every string value of the entry (hashes such as inputs are kept).
const expandedKeys = ['local', 'project', 'ref', 'file', 'remote', 'template', 'component', 'integrity'] as const;

export async function planIncludes(owner: CiMap, scope: IncludeScope): Promise<PlannedInclude[]> {
  const normalized = normalizeEntries(owner, scope);
  const kept: RawEntry[] = [];
  for (const raw of normalized) if (await passesRules(raw, scope)) kept.push(raw);
  const expanded: RawEntry[] = [];
  for (const raw of kept) expanded.push(...(await expandLocations(raw, scope)));
  return expanded.map((raw) => {
    const entry = expandEntryVariables(raw.entry, scope);
    const { kind, target } = pickIncludeKind(entry, raw.location);
    return { kind, target, entry, location: raw.location };
  });
}

/** Mapper::Normalizer: a string is a remote URL or a local path, decided after variable expansion. */
function normalizeEntries(owner: CiMap, scope: IncludeScope): RawEntry[] {
  const value = owner.include;
  const keyLocation = locationOfKey(owner, 'include') ?? { file: scope.fileName };
  const listLocation = locationOf(value) ?? keyLocation;
  const items: CiValue[] = isSeq(value) ? value : value === null || value === undefined ? [] : [value];
  if (!isSeq(value) && !isMap(value) && typeof value !== 'string' && value !== null && value !== undefined) {
    throw includeError('include-invalid', 'include config should be an array or a string', keyLocation);
  }
  const entries: RawEntry[] = [];
  for (const item of items) {
    if (item === null) continue; // Array.wrap(...).compact drops empty entries.
    if (typeof item === 'string') {
      const expanded = expandVariables(item, scope.variables);
      entries.push({ entry: isUrl(expanded) ? { remote: expanded } : { local: expanded }, location: listLocation });
      continue;
    }
    if (!isMap(item)) {
      throw includeError('include-invalid', `\`${describeIncludeValue(item)}\` is not a valid include: use a string or a hash`, listLocation);
    }
    const location = locationOf(item) ?? listLocation;
    const unknown = Object.keys(item).filter((key) => !allowedKeys.has(key));
    if (unknown.length > 0) {
      throw includeError('include-invalid', `include config contains unknown keys: ${unknown.join(', ')}`, location);
    }
    entries.push({ entry: item, location });
  }
  return entries;
}

/** docs "ci/yaml/includes#use-rules-with-include": `when: never` skips the entry, anything else keeps it. */
async function passesRules(raw: RawEntry, scope: IncludeScope): Promise<boolean> {
  const rules = raw.entry.rules;
  if (rules === undefined || rules === null) return true;
  if (!isSeq(rules)) {
    throw includeError('include-invalid', 'include:rules config should be an array of hashes', raw.location);
  }
  try {
    const outcome = await scope.evaluateRules(rules, { variables: scope.variables, facts: scope.facts, file: scope.fileName });
    return outcome.when !== 'never';
  } catch (error) {
    throw isSidecarError(error) && raw.location !== undefined ? error.withLocation(raw.location) : error;
  }
}

/** Mapper::LocationExpander: one entry per `file:` of a project, one per match of a local wildcard. */
async function expandLocations(raw: RawEntry, scope: IncludeScope): Promise<RawEntry[]> {
  const { entry } = raw;
  if (entry.project !== undefined && entry.project !== null && entry.file !== undefined && entry.file !== null) {
    const files = isSeq(entry.file) ? entry.file : [entry.file];
    return files.map((file) => ({ entry: { ...entry, file }, location: raw.location }));
  }
  const local = entry.local;
  if (typeof local !== 'string' || !hasWildcard(local)) return [raw];
  if (scope.project === undefined) {
    throw includeError('include-path', `Local file \`${local}\` does not have project!`, raw.location);
  }
  // GitLab matches the pattern as written against tree paths, which have no `.` or `..` segment.
  if (hasDotSegment(local)) return [];
  // Variables are expanded only after this step in GitLab, so `$DIR/*.yml` matches nothing there.
  const matches = wildcardMatcher(toRepositoryPath(local, raw.location));
  const paths = await scope.source.listFiles(scope.project, scope.ref);
  return paths
    // Newer GitLab skips the including file itself, so `include: '*.yml'` in a.yml does not include a.yml.
    .filter((path) => matches(path) && !(scope.kind === 'local' && path === scope.path))
    .map((path) => ({ entry: { ...entry, local: path }, location: raw.location }));
}

function expandEntryVariables(entry: CiMap, scope: IncludeScope): CiMap {
  const copy: CiMap = { ...entry };
  for (const key of expandedKeys) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = expandVariables(value, scope.variables);
  }
  return copy;
}

// Gitlab::UrlSanitizer.valid? decides whether a string include is remote; we accept http(s) only.
function isUrl(text: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(text);
}
