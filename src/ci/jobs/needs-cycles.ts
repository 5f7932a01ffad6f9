/**
 * YamlProcessor#check_circular_dependencies (yaml_processor/dag.rb): jobs that need each other,
 * directly or through others, cannot run; GitLab says "The pipeline has circular dependencies:"
 * and Ruby's TSort message. Needs across stages cannot loop (a need is never in a later stage), so
 * a cycle lies within one stage. The chain is named here instead of TSort's component list.
 */
import { ConfigError } from '../../errors.js';
import { readMapEntry } from '../expand/ci-map.js';
import type { ExpandedJob } from '../expand/index.js';
import { locationOfKey } from '../positions.js';
import { isSeq } from '../value.js';
import { localNeedName } from './need-entries.js';

export function checkNeedsCycles(jobs: readonly ExpandedJob[], instancesOf: ReadonlyMap<string, readonly string[]>): void {
  // Instances of a parallel job share its needs, so the job stands for all of them here.
  const baseOf = new Map<string, string>();
  for (const [base, instances] of instancesOf) for (const instance of instances) baseOf.set(instance, base);
  const edges = new Map<string, string[]>();
  for (const job of jobs) {
    const needs = readMapEntry(job.definition, 'needs');
    const named = (isSeq(needs) ? needs : needs === undefined || needs === null ? [] : [needs]).map(localNeedName);
    edges.set(job.name, named.filter((name) => name !== undefined).map((name) => baseOf.get(name) ?? name));
  }
  const done = new Set<string>();
  for (const job of jobs) {
    const chain = findCycle(job.name, edges, done, []);
    if (chain === undefined) continue;
    const described = chain.length === 2 ? `self-dependency: ${chain[0] ?? ''}` : chain.join(' → ');
    throw new ConfigError('needs-cycle', `The pipeline has circular dependencies: ${described}`, {
      location: locationOfKey(jobs.find((candidate) => candidate.name === chain[0])?.definition ?? {}, 'needs') ?? job.location,
      hint: 'Remove one of the needs in the loop.',
    });
  }
}

/** Depth-first walk from `name`; the looping chain (first node repeated at the end), if any. */
function findCycle(name: string, edges: ReadonlyMap<string, readonly string[]>, done: Set<string>, path: readonly string[]): string[] | undefined {
  const seen = path.indexOf(name);
  if (seen >= 0) return [...path.slice(seen), name];
  if (done.has(name) || !edges.has(name)) return undefined;
  for (const next of edges.get(name) ?? []) {
    const chain = findCycle(next, edges, done, [...path, name]);
    if (chain !== undefined) return chain;
  }
  done.add(name);
  return undefined;
}
