/**
 * Keyword checks GitLab's config entries make before any rule is evaluated, for the keywords a
 * composed pipeline passes on unchanged (so GitLab would only fail later, in the child pipeline,
 * and less clearly): job-level `when`, the shape of `needs`, `dependencies` against `needs`, and
 * `cache`. Messages are GitLab's (entry path + message, lowercased as Entry::Validator does).
 */
import type { SourceLocation } from '../../errors.js';
import { hasMapEntry, readMapEntry } from '../expand/ci-map.js';
import { entryError } from '../expand/entry-error.js';
import type { ExpandedJob } from '../expand/index.js';
import { locationOf, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { localNeedName } from './need-entries.js';

// entry/job.rb ALLOWED_WHEN: `never` is only valid inside rules and workflow:rules.
const JOB_WHEN: readonly string[] = ['on_success', 'on_failure', 'always', 'manual', 'delayed'];
// entry/bridge.rb ALLOWED_WHEN.
const BRIDGE_WHEN: readonly string[] = ['on_success', 'on_failure', 'always', 'manual'];

export function checkJobEntries(job: ExpandedJob): void {
  const path = `jobs:${job.name}`;
  const definition = job.definition;
  checkWhen(definition, path, job.location);
  checkNeedsShape(definition, path, job.location);
  checkDependenciesInNeeds(definition, path, job.location);
  const cache = readMapEntry(definition, 'cache');
  if (cache !== undefined) {
    for (const entry of isSeq(cache) ? cache : [cache]) if (isMap(entry)) checkCache(entry, `${path}:cache`, locationOfKey(definition, 'cache') ?? job.location);
  }
}

function checkWhen(definition: CiMap, path: string, fallback: SourceLocation | undefined): void {
  const when = readMapEntry(definition, 'when');
  if (when === undefined || when === null) return;
  const allowed = hasMapEntry(definition, 'trigger') ? BRIDGE_WHEN : JOB_WHEN;
  if (typeof when === 'string' && allowed.includes(when)) return;
  throw entryError('job-when', path, `when should be one of: ${allowed.join(', ')}`, locationOfKey(definition, 'when') ?? fallback,
    when === 'never' ? '`when: never` is valid only inside rules: (and workflow:rules); use `rules: [{ when: never }]`.' : undefined);
}

/** entry/needs.rb (a Hash or an Array, a Hash not empty) and entry/need.rb (each need a job name or a hash). */
function checkNeedsShape(definition: CiMap, path: string, fallback: SourceLocation | undefined): void {
  const needs = readMapEntry(definition, 'needs');
  if (needs === undefined) return;
  const where = locationOfKey(definition, 'needs') ?? fallback;
  if (!isSeq(needs) && !isMap(needs)) throw entryError('needs-format', `${path}:needs`, 'config can only be a Hash or an Array', where);
  if (isMap(needs) && Object.keys(needs).length === 0) throw entryError('needs-format', `${path}:needs`, 'config can not be an empty Hash', where);
  const entries = isSeq(needs) ? needs : [needs];
  if (entries.some((need) => isMap(need) && typeof need['parallel'] === 'number')) {
    throw entryError('needs-format', `${path}:needs`, 'config cannot use "parallel: <number>".', where);
  }
  for (const need of entries) {
    const at = locationOf(need) ?? where;
    // Need's strategies: a String is JobString, a Hash with `job` is JobHash (or a cross-pipeline
    // need); anything else is UnknownStrategy.
    if (typeof need === 'string') {
      if (need.trim() === '') throw entryError('needs-format', `${path}:needs:need`, "config can't be blank", at);
      continue;
    }
    // EE's Need::BridgeHash: a trigger job may need a pipeline (`needs: { pipeline: other/project }`).
    if (isMap(need) && !hasMapEntry(need, 'job') && hasMapEntry(need, 'pipeline')) continue;
    if (!isMap(need) || !hasMapEntry(need, 'job')) throw entryError('needs-format', `${path}:needs:need`, 'has an unsupported type', at);
    if (typeof need['job'] !== 'string' || need['job'].trim() === '') throw entryError('needs-format', `${path}:needs:need`, 'job should be a string', at);
  }
}

/** entry/job.rb `validate on: :composed`: with needs, every dependency must be one of them. */
function checkDependenciesInNeeds(definition: CiMap, path: string, fallback: SourceLocation | undefined): void {
  const dependencies = readMapEntry(definition, 'dependencies');
  const where = locationOfKey(definition, 'dependencies') ?? fallback;
  if (dependencies === undefined || dependencies === null) return;
  if (!isSeq(dependencies) || !dependencies.every((name) => typeof name === 'string')) {
    throw entryError('dependencies-format', `${path}:dependencies`, 'config should be an array of strings', where);
  }
  const needs = readMapEntry(definition, 'needs');
  if (needs === undefined || dependencies.length === 0) return;
  const needed = (isSeq(needs) ? needs : [needs]).map(localNeedName).filter((name) => name !== undefined);
  if (needed.length === 0) return;
  const missing = dependencies.filter((name) => !needed.includes(name as string));
  if (missing.length > 0) {
    throw entryError('dependencies-not-in-needs', `${path}`, `dependencies the ${missing.join(', ')} should be part of needs`, where,
      'Add those jobs to needs:, or drop them from dependencies:.');
  }
}

/** entry/cache.rb: key:files is entry/files.rb (1 or 2 paths), paths is entry/paths.rb (strings). */
function checkCache(cache: CiMap, path: string, fallback: SourceLocation | undefined): void {
  const key = readMapEntry(cache, 'key');
  if (isMap(key) && hasMapEntry(key, 'files')) {
    const files = readMapEntry(key, 'files');
    const where = locationOfKey(key, 'files') ?? fallback;
    if (!isStringList(files)) throw entryError('cache-format', `${path}:key:files`, 'config should be an array of strings', where);
    if (files.length < 1) throw entryError('cache-format', `${path}:key:files`, 'config requires at least 1 item', where);
    if (files.length > 2) throw entryError('cache-format', `${path}:key:files`, 'config has too many items (maximum is 2)', where);
  }
  if (hasMapEntry(cache, 'paths') && !isStringList(readMapEntry(cache, 'paths'))) {
    throw entryError('cache-format', `${path}:paths`, 'config should be an array of strings', locationOfKey(cache, 'paths') ?? fallback);
  }
}

function isStringList(value: CiValue | undefined): value is string[] {
  return isSeq(value) && value.every((item) => typeof item === 'string');
}
