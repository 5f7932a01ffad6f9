/**
 * A policy's version as a digest: SHA-256 over a canonical JSON form of its validated entry
 * (keys sorted, absent values left out), so the same policy gives the same digest whatever the
 * key order or comments of its policy.yml. `compose` writes it in the report; `verify` computes
 * it again from the policy project's default branch and compares (src/verify/check-policy-versions.ts).
 */
import { createHash } from 'node:crypto';
import type { Policy } from '../policies/types.js';

export function policyDigest(policy: Policy): string {
  return `sha256:${createHash('sha256').update(canonicalJson(policy), 'utf8').digest('hex')}`;
}

/** JSON with object keys in code-point order and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>) // checked: a non-array object
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}
