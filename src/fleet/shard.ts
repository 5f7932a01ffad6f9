/**
 * `--shard i/n`: which projects this run takes, so a GitLab CI job with `parallel: n` spreads a
 * fleet over n runners. GitLab numbers parallel jobs from 1 (CI_NODE_INDEX 1..CI_NODE_TOTAL,
 * docs "ci/yaml/#parallel"). A project belongs to shard (id mod n) + 1: stable while projects
 * come and go, and the same for audit and rollout.
 */
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based, as CI_NODE_INDEX. */
  readonly index: number;
  readonly total: number;
}

export const WHOLE_FLEET: Shard = { index: 1, total: 1 };

/** The flag wins; else the job's CI_NODE_INDEX/CI_NODE_TOTAL; else the whole fleet. */
export function parseShard(flag: string | undefined, nodeIndex: string | undefined, nodeTotal: string | undefined): Shard {
  if (flag !== undefined) return checked(flag, '--shard');
  if (nodeIndex !== undefined && nodeIndex !== '' && nodeTotal !== undefined && nodeTotal !== '') {
    return checked(`${nodeIndex}/${nodeTotal}`, 'CI_NODE_INDEX/CI_NODE_TOTAL');
  }
  return WHOLE_FLEET;
}

export function inShard(projectId: number, shard: Shard): boolean {
  return projectId % shard.total === shard.index - 1;
}

function checked(text: string, name: string): Shard {
  const match = /^([0-9]{1,6})\/([0-9]{1,6})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (match === null || total < 1 || index < 1 || index > total) {
    throw new UsageError('bad-arguments', `${name} must be i/n with 1 <= i <= n, not ${text}`, {
      hint: 'Write e.g. --shard 2/4; in a job with parallel: 4 it defaults to CI_NODE_INDEX/CI_NODE_TOTAL.',
    });
  }
  return { index, total };
}
