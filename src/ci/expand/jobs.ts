/**
 * Jobs, once `extends` and `!reference` are resolved: which keys are jobs, what each may hold,
 * and the job as the rest of the engine sees it (defaults applied, scripts flattened, variables
 * combined). Follows entry/root.rb, jobs.rb, job.rb, bridge.rb and processable.rb, and the stage
 * check of yaml_processor.rb (docs: "Job keywords", "stage", "inherit" in ci/yaml/_index).
 * Errors come in GitLab's order: the job list first, then each job, then stages.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { copyLocation, locationOf, locationOfKey } from '../positions.js';
import { isMap, isSeq, type CiMap, type CiValue } from '../value.js';
import { hasMapEntry, readMapEntry, setMapEntry } from './ci-map.js';
import { applyDefaults, DEFAULT_KEYWORDS } from './defaults.js';
import { entryError } from './entry-error.js';
import { readInheritance } from './inherit.js';
import { BRIDGE_INHERITABLE_KEYWORDS, BRIDGE_KEYWORDS, findJobKind, isJobKey, JOB_KEYWORDS, type JobKind } from './job-keywords.js';
import { flattenCommands, flattenRules } from './scripts.js';
import { DEFAULT_JOB_STAGE } from './stages.js';
import { inheritVariables, jobVariablesScope, readVariables, type VariableMap, type VariablesInheritance } from './variables.js';

export interface ExpandedJob {
  readonly name: string;
  /**
   * The job's keywords after `default:` (and legacy top-level defaults) per `inherit:default`;
   * `extends`, `inherit` and `variables` removed, null keywords dropped, `stage` always set,
   * `script`/`before_script`/`after_script` flat string lists, `rules` a flat list.
   */
  readonly definition: CiMap;
  /** Global variables per `inherit:variables`, overlaid by the job's own. */
  readonly variables: VariableMap;
  /** The job's own `variables:` and its `inherit:variables`, to recompute `variables` when
   *  workflow rules replace global variables. */
  readonly ownVariables: VariableMap;
  readonly variablesInheritance: VariablesInheritance;
  readonly location: SourceLocation | undefined;
}

export interface JobContext {
  readonly stages: readonly string[];
  readonly globalVariables: VariableMap;
  /** From readDefaults: `default:` plus legacy top-level keywords. */
  readonly defaults: CiMap;
}

const COMMAND_KEYWORDS: readonly string[] = ['script', 'before_script', 'after_script'];
const REMOVED_KEYWORDS: readonly string[] = ['extends', 'inherit', 'variables'];

/** The visible jobs of a resolved configuration, in its key order. */
export function expandJobs(config: CiMap, context: JobContext): ExpandedJob[] {
  const candidates = Object.entries(config).filter(([name, value]) => isJobKey(name, value));
  // Entry::Jobs validation: every key must match a job type, and one must be visible.
  for (const [name, value] of candidates) {
    if (findJobKind(name, value) === undefined) {
      throw entryError('job-not-implemented', 'jobs', `${name} config should implement the script:, run:, or trigger: keyword`, locationOfKey(config, name), isMap(value) ? undefined : 'A job must be a hash of keywords.');
    }
  }
  const visible = candidates.filter(([name, value]) => findJobKind(name, value) !== 'hidden');
  if (visible.length === 0) {
    throw entryError('no-visible-job', 'jobs', 'config should contain at least one visible job', locationOf(config), 'Jobs whose names start with a dot are hidden templates.');
  }
  const jobs = visible.map(([name, value]) => {
    const kind = findJobKind(name, value);
    // findJobKind returned 'job' or 'bridge' for these, which only happens for maps.
    return expandJob(name, value as CiMap, kind as Exclude<JobKind, 'hidden'>, context, locationOfKey(config, name));
  });
  visible.forEach(([, value], index) => {
    const job = jobs[index];
    // A stage the job did not write (the default `test`) is blamed on the job's name.
    const written = isMap(value) && hasMapEntry(value, 'stage');
    if (job) checkStage(job, context.stages, written ? locationOfKey(job.definition, 'stage') : job.location);
  });
  return jobs;
}

function expandJob(
  name: string,
  job: CiMap,
  kind: Exclude<JobKind, 'hidden'>,
  context: JobContext,
  location: SourceLocation | undefined,
): ExpandedJob {
  const path = `jobs:${name}`;
  checkExclusiveKeys(job, kind, path, location);
  const allowed = kind === 'job' ? JOB_KEYWORDS : BRIDGE_KEYWORDS;
  const unknown = Object.keys(job).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw entryError('job-unknown-keys', path, `config contains unknown keys: ${unknown.join(', ')}`, location);
  }
  if (kind === 'job') checkScriptPresent(job, path, location);
  if (kind === 'bridge') checkBridgeTarget(job, path, location);
  const inheritance = readInheritance(job, path);
  const inheritable = kind === 'job' ? DEFAULT_KEYWORDS : BRIDGE_INHERITABLE_KEYWORDS;
  const withDefaults = applyDefaults(job, context.defaults, inheritance.default, inheritable);
  const own = readVariables(readMapEntry(job, 'variables'), locationOfKey(job, 'variables'), jobVariablesScope(name));
  return {
    name,
    definition: normalizeDefinition(withDefaults, path),
    variables: inheritVariables(context.globalVariables, inheritance.variables, own),
    ownVariables: own,
    variablesInheritance: inheritance.variables,
    location,
  };
}

/** Processable and Job `mutually_exclusive_keys`, keys named in the job's own order. */
function checkExclusiveKeys(job: CiMap, kind: Exclude<JobKind, 'hidden'>, path: string, location: SourceLocation | undefined): void {
  const groups = kind === 'job' ? [['script', 'trigger'], ['run', 'trigger'], ['script', 'run']] : [['script', 'trigger'], ['run', 'trigger']];
  for (const group of groups) {
    const present = Object.keys(job).filter((key) => group.includes(key));
    if (present.length > 1) {
      throw entryError('job-exclusive-keys', path, `config these keys cannot be used together: ${present.join(', ')}`, location);
    }
  }
}

/** Job: `validates :script, presence: true` unless the job uses `run:`; Ruby's blank? rules. */
function checkScriptPresent(job: CiMap, path: string, location: SourceLocation | undefined): void {
  if (hasMapEntry(job, 'run')) return;
  const script = readMapEntry(job, 'script');
  const blank = script === null || (typeof script === 'string' && script.trim() === '') || (isSeq(script) && script.length === 0);
  if (blank) throw entryError('job-script-blank', path, "script can't be blank", locationOfKey(job, 'script') ?? location);
}

/** Bridge: a job matched by `needs:` alone must trigger, or need a pipeline. */
function checkBridgeTarget(job: CiMap, path: string, location: SourceLocation | undefined): void {
  if (hasMapEntry(job, 'trigger')) return;
  const needs = readMapEntry(job, 'needs');
  const needsPipeline = isSeq(needs) ? needs.some((need) => isMap(need) && hasMapEntry(need, 'pipeline')) : isMap(needs) && hasMapEntry(needs, 'pipeline');
  if (!needsPipeline) {
    throw entryError('job-not-implemented', path, 'config should contain either a trigger or a needs:pipeline', location, 'Add script: (or trigger:) to the job.');
  }
}

function normalizeDefinition(job: CiMap, path: string): CiMap {
  const definition: CiMap = {};
  for (const [key, value] of Object.entries(job)) {
    // Job#value compacts: a keyword set to null is as if it were not written.
    if (REMOVED_KEYWORDS.includes(key) || value === null) continue;
    setMapEntry(definition, key, normalizeKeyword(key, value, path, job));
  }
  if (!hasMapEntry(definition, 'stage')) setMapEntry(definition, 'stage', DEFAULT_JOB_STAGE);
  return copyLocation(job, definition);
}

/** `job` is the map `value` was read from: where a keyword's error points (looked up only for keywords that can fail). */
function normalizeKeyword(key: string, value: CiValue, path: string, job: CiMap): CiValue {
  if (COMMAND_KEYWORDS.includes(key)) return keepLocation(value, flattenCommands(value, `${path}:${key}`, locationOfKey(job, key)));
  if (key === 'rules') return keepLocation(value, flattenRules(value, `${path} rules`, locationOfKey(job, key)));
  // A `!reference` list inside needs is spliced in: Entry::Needs (a ComposableArray) reads `[config].flatten`.
  if (key === 'needs' && isSeq(value) && value.some(isSeq)) return keepLocation(value, flattenDeep(value));
  if (key === 'stage' && typeof value !== 'string') {
    throw entryError('stage-format', `${path}:stage`, 'config should be a string', locationOfKey(job, key));
  }
  return value;
}

function flattenDeep(values: readonly CiValue[]): CiValue[] {
  return values.flatMap((value) => (isSeq(value) ? flattenDeep(value) : [value]));
}

function keepLocation(from: CiValue, to: CiValue[]): CiValue[] {
  return isSeq(from) ? copyLocation(from, to) : to;
}

/** YamlProcessor#validate_job_stage! (raised outside the validators: case kept). */
function checkStage(job: ExpandedJob, stages: readonly string[], location: SourceLocation | undefined): void {
  const stage = readMapEntry(job.definition, 'stage');
  if (typeof stage === 'string' && stages.includes(stage)) return;
  throw new ConfigError(
    'stage-unknown',
    `${job.name} job: chosen stage ${String(stage)} does not exist; available stages are ${stages.join(', ')}`,
    {
      location: location ?? job.location,
      hint: 'Add the stage to stages:, or pick one of those listed.',
    },
  );
}
