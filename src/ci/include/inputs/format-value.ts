/**
 * A value as text, the way GitLab's Ruby `to_s` writes it when an input is interpolated inside a
 * larger string (docs "ci/inputs/#input-types": "always interpolated as a string"). Arrays and
 * hashes follow Ruby's `inspect` (`["a", 1]`, `{"k"=>"v"}`); the docs warn the result may not
 * be what users expect, so only the simple cases are worth matching exactly.
 */
import { CiReferenceTag, type CiValue } from '../../value.js';

export function formatInterpolated(value: CiValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return inspect(value);
}

function inspect(value: CiValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof CiReferenceTag) return `!reference ${inspect(value.path.slice())}`;
  if (Array.isArray(value)) return `[${value.map(inspect).join(', ')}]`;
  return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}=>${inspect(item)}`).join(', ')}}`;
}
