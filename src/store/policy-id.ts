/**
 * A policy's stable id: its policy project, type and name, hashed. It survives reordering and
 * edits of the policy (those are versions); a rename makes a new policy, as people read it.
 */
import { createHash } from 'node:crypto';

export function policyIdOf(policyProject: string, type: string, name: string): string {
  return createHash('sha256').update(`${policyProject}\n${type}\n${name}`).digest('hex').slice(0, 16);
}
