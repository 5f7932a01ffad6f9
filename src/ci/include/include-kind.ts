/**
 * Which include type an entry is (Mapper::Matcher): exactly one of `local`, `project` + `file`,
 * `remote`, `template`, `component` must be present, and its value must be a string.
 */
import type { SourceLocation } from '../../errors.js';
import { CiReferenceTag, type CiMap, type CiValue } from '../value.js';
import { includeError } from './include-error.js';
import type { IncludeKind } from './types.js';

const subkeys = ['local', 'project', 'remote', 'template', 'component'] as const;

export function pickIncludeKind(entry: CiMap, location: SourceLocation | undefined): { kind: IncludeKind; target: string } {
  if (isPresent(entry.artifact)) {
    throw includeError('include-unsupported', 'include:artifact is only valid in trigger:include of a child pipeline', location, {
      hint: 'policy-sidecar resolves the parent pipeline; artifacts of other jobs do not exist yet at that point.',
    });
  }
  // File::Project#matching? needs both `project` and `file`; the other types need their own key.
  const matching = subkeys.filter((key) => (key === 'project' ? isPresent(entry.project) && isPresent(entry.file) : isPresent(entry[key])));
  if (matching.length === 0) {
    throw includeError(
      'include-invalid',
      `\`${describeIncludeValue(entry)}\` does not have a valid subkey for include. Valid subkeys are: \`${subkeys.join('`, `')}\``,
      location,
    );
  }
  if (matching.length > 1) {
    throw includeError('include-invalid', `Each include must use only one of: \`${subkeys.join('`, `')}\``, location);
  }
  const kind = matching[0] as IncludeKind;
  const target = kind === 'project' ? entry.file : entry[kind];
  if (typeof target !== 'string') {
    // File::Base#validate_location!
    throw includeError('include-invalid', `Included file \`${describeIncludeValue(target ?? null)}\` needs to be a string`, location);
  }
  if (kind === 'project' && typeof entry.project !== 'string') {
    throw includeError('include-invalid', `Included project \`${describeIncludeValue(entry.project ?? null)}\` needs to be a string`, location);
  }
  return { kind, target };
}

/** Ruby's `present?`: not nil, not blank. */
function isPresent(value: CiValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && !(value instanceof CiReferenceTag)) return Object.keys(value).length > 0;
  return true;
}

/** A value as GitLab shows it in include messages (`location.to_json`). */
export function describeIncludeValue(value: CiValue): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof CiReferenceTag ? `!reference ${JSON.stringify(item.path)}` : item));
}
