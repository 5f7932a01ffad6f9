/**
 * The shapes GitLab accepts for `image`, `services` and `cache` where they act as defaults
 * (`default:` and the deprecated top-level keywords). A top-level key with one of these names is
 * never a job: GitLab reads `image:` with a job's body (`script:`...) as the global image and
 * rejects it, e.g. "image config contains unknown keys: script" (Entry::Image via Imageable,
 * Entry::Services, Entry::Cache). Without this check the body was copied into every job.
 */
import type { SourceLocation } from '../../errors.js';
import { isMap, isSeq, type CiValue } from '../value.js';
import { entryError } from './entry-error.js';

/** Imageable::IMAGEABLE_ALLOWED_KEYS plus the runner options of newer GitLab. */
const IMAGE_KEYS: readonly string[] = ['name', 'entrypoint', 'ports', 'pull_policy', 'docker', 'kubernetes'];
/** Entry::Service: Imageable's keys plus a service's own. */
const SERVICE_KEYS: readonly string[] = [...IMAGE_KEYS, 'command', 'alias', 'variables'];
/** Entry::Cache::ALLOWED_KEYS. */
const CACHE_KEYS: readonly string[] = ['key', 'untracked', 'paths', 'when', 'policy', 'fallback_keys', 'unprotect'];

export function checkDefaultShape(key: string, value: CiValue, entryPath: string, location: SourceLocation | undefined): void {
  switch (key) {
    case 'image':
      return checkHashOrString(value, IMAGE_KEYS, entryPath, location);
    case 'services':
      if (!isSeq(value)) throw entryError('default-format', entryPath, 'config should be a array', location);
      for (const service of value) checkHashOrString(service, SERVICE_KEYS, `${entryPath}:service`, location);
      return;
    case 'cache':
      for (const cache of isSeq(value) ? value : [value]) {
        if (!isMap(cache)) throw entryError('default-format', entryPath, 'config should be a hash or an array of hashes', location);
        checkKeys(Object.keys(cache), CACHE_KEYS, entryPath, location);
      }
      return;
  }
}

function checkHashOrString(value: CiValue, allowed: readonly string[], entryPath: string, location: SourceLocation | undefined): void {
  if (typeof value === 'string') return;
  if (!isMap(value)) throw entryError('default-format', entryPath, 'config should be a hash or a string', location);
  checkKeys(Object.keys(value), allowed, entryPath, location);
}

function checkKeys(keys: readonly string[], allowed: readonly string[], entryPath: string, location: SourceLocation | undefined): void {
  const unknown = keys.filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw entryError('default-unknown-keys', entryPath, `config contains unknown keys: ${unknown.join(', ')}`, location, 'A job cannot be named image, services, cache, before_script or after_script: those top-level keys are global defaults. Rename the job.');
  }
}
