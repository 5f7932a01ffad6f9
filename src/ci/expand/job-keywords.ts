/**
 * Which top-level keys are jobs, and which keywords each kind of job accepts. From
 * entry/root.rb (reserved nodes), entry/jobs.rb (Hidden, Job, Bridge types), entry/job.rb,
 * entry/bridge.rb and entry/processable.rb, plus the EE job keywords (ee/.../entry/job.rb).
 */
import { hasMapEntry } from './ci-map.js';
import { isMap, type CiValue } from '../value.js';

/** Root nodes declared `reserved: true`: never jobs, whatever they hold. */
export const RESERVED_TOP_LEVEL_KEYS: readonly string[] = [
  'include',
  'before_script',
  'image',
  'services',
  'after_script',
  'variables',
  'stages',
  'cache',
];

/** Root keywords that are not reserved: read as a job only when they look like one. */
export const UNRESERVED_TOP_LEVEL_KEYS: readonly string[] = ['default', 'workflow'];

const PROCESSABLE_KEYWORDS = [
  'extends', 'stage', 'only', 'except', 'rules', 'variables', 'inherit', 'allow_failure', 'when',
  'needs', 'resource_group', 'environment', 'interruptible',
];

export const JOB_KEYWORDS: readonly string[] = [
  'tags', 'script', 'image', 'services', 'start_in', 'artifacts', 'cache', 'dependencies',
  'before_script', 'after_script', 'hooks', 'coverage', 'retry', 'parallel', 'timeout', 'release',
  'id_tokens', 'publish', 'pages', 'manual_confirmation', 'run',
  // EE (policies are an EE feature, so their configurations may use these).
  'dast_configuration', 'identity', 'secrets', 'pages_path_prefix',
  ...PROCESSABLE_KEYWORDS,
];

export const BRIDGE_KEYWORDS: readonly string[] = ['trigger', 'parallel', ...PROCESSABLE_KEYWORDS];

/** Default keywords a kind of job inherits: Job entries with `inherit: true`; a bridge only `interruptible`. */
export const BRIDGE_INHERITABLE_KEYWORDS: readonly string[] = ['interruptible'];

export type JobKind = 'hidden' | 'job' | 'bridge';

/** Jobs.find_type: Hidden (name starts with a dot), Job (`script:` or `run:`), Bridge (`trigger:` or `needs:`). */
export function findJobKind(name: string, value: CiValue | undefined): JobKind | undefined {
  if (name.startsWith('.')) return 'hidden';
  if (!isMap(value)) return undefined;
  if (hasMapEntry(value, 'script') || hasMapEntry(value, 'run')) return 'job';
  if (hasMapEntry(value, 'trigger') || hasMapEntry(value, 'needs')) return 'bridge';
  return undefined;
}

/** Root#filter_jobs!: every key but the reserved ones, and `default`/`workflow` only when they match a job type. */
export function isJobKey(name: string, value: CiValue | undefined): boolean {
  if (RESERVED_TOP_LEVEL_KEYS.includes(name)) return false;
  if (UNRESERVED_TOP_LEVEL_KEYS.includes(name)) return findJobKind(name, value) !== undefined;
  return true;
}
