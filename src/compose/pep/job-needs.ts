/**
 * `needs` entries of a policy's jobs after its jobs were merged (gitlab-pep-sep.md §3.4,
 * JobsInjector): entries naming a job of the same policy follow that job's new name.
 */
import { isMap, type CiSeq, type CiValue } from '../../ci/value.js';

/** The job a `needs` entry names in the same pipeline; undefined for cross-project or parent-pipeline needs. */
export function neededJobName(need: CiValue): string | undefined {
  if (typeof need === 'string') return need;
  if (!isMap(need) || typeof need['job'] !== 'string') return undefined;
  if (need['pipeline'] !== undefined || need['project'] !== undefined) return undefined;
  return need['job'];
}

export interface NeedsRewrite {
  readonly needs: CiSeq;
  /** Names of removed entries, in order. */
  readonly removed: readonly string[];
}

/**
 * `renamed` maps original names to final names and is applied once per entry (never chained),
 * so a job renamed onto another job's old name still resolves right. Entries naming a job in
 * `removedJobs` go.
 */
export function rewriteNeeds(needs: CiSeq, renamed: ReadonlyMap<string, string>, removedJobs: ReadonlySet<string>): NeedsRewrite {
  const kept: CiSeq = [];
  const removed: string[] = [];
  for (const need of needs) {
    const name = neededJobName(need);
    if (name === undefined) {
      kept.push(need);
    } else if (removedJobs.has(name)) {
      removed.push(name);
    } else {
      const target = renamed.get(name);
      if (target === undefined) kept.push(need);
      else kept.push(isMap(need) ? { ...need, job: target } : target);
    }
  }
  return { needs: kept, removed };
}
