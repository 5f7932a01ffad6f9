/**
 * Properties of the inject_policy stage merge (gitlab-pep-sep.md §3.2): lists that agree with
 * one order always merge into a list that keeps every stage and every list's order; any lists
 * either do that or fail with GitLab's cyclic-dependencies error, nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeInjectStages } from '../../../src/compose/pep/index.js';
import { PolicyError } from '../../../src/errors.js';
import { wrapped } from './builders.js';

const STAGE_NAMES = ['build', 'test', 'deploy', 'lint', 'scan', 'policy-test', 'publish', 'verify', 'compile', 'package'];

/** Each input list keeps its order in `merged`, and nothing is lost or doubled. */
function expectConsistent(merged: readonly string[], lists: readonly (readonly string[])[]): void {
  expect(new Set(merged).size).toBe(merged.length);
  const position = new Map(merged.map((stage, index) => [stage, index]));
  for (const list of lists) {
    const indexes = list.map((stage) => position.get(stage));
    expect(indexes.every((index) => index !== undefined)).toBe(true);
    const defined = indexes.filter((index): index is number => index !== undefined);
    expect(defined).toEqual([...defined].sort((a, b) => a - b));
  }
}

/** Whether any order keeps every list's order (Kahn's algorithm), found without the code under test. */
function hasOrder(lists: readonly (readonly string[])[]): boolean {
  const after = new Map<string, Set<string>>();
  const incoming = new Map<string, number>();
  for (const list of lists) {
    list.forEach((stage, index) => {
      if (!incoming.has(stage)) incoming.set(stage, 0);
      for (const later of list.slice(index + 1)) {
        if (later === stage) return;
        const next = after.get(stage) ?? new Set<string>();
        if (!next.has(later)) incoming.set(later, (incoming.get(later) ?? 0) + 1);
        next.add(later);
        after.set(stage, next);
      }
    });
  }
  if (lists.some((list) => new Set(list).size !== list.length)) return false;
  const ready = [...incoming].filter(([, count]) => count === 0).map(([stage]) => stage);
  let placed = 0;
  for (let stage = ready.pop(); stage !== undefined; stage = ready.pop()) {
    placed += 1;
    for (const later of after.get(stage) ?? []) {
      const count = (incoming.get(later) ?? 0) - 1;
      incoming.set(later, count);
      if (count === 0) ready.push(later);
    }
  }
  return placed === incoming.size;
}

describe('mergeInjectStages properties', () => {
  it('merges lists that are all subsequences of one order, keeping every stage and order', () => {
    const master = fc.shuffledSubarray(STAGE_NAMES, { minLength: 1 });
    const input = master.chain((order) =>
      fc.record({
        project: fc.subarray(order),
        policies: fc.array(fc.subarray(order), { maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(input, ({ project, policies }) => {
        const lists = [wrapped(project), ...policies.map(wrapped)];
        const merged = mergeInjectStages(lists[0] ?? [], policies.map((stages, index) => ({ name: `p${index}`, stages: wrapped(stages) })));
        expectConsistent(merged, lists);
      }),
    );
  });

  it('either merges consistently or throws pep-stage-cycle exactly when no order fits, for any lists', () => {
    const list = fc.array(fc.constantFrom(...STAGE_NAMES), { maxLength: 6 });
    fc.assert(
      fc.property(list, fc.array(list, { maxLength: 5 }), (project, policies) => {
        const lists = [wrapped(project), ...policies.map(wrapped)];
        let merged: string[];
        try {
          merged = mergeInjectStages(lists[0] ?? [], policies.map((stages, index) => ({ name: `p${index}`, stages: wrapped(stages) })));
        } catch (error) {
          expect(error).toBeInstanceOf(PolicyError);
          expect((error as PolicyError).code).toBe('pep-stage-cycle');
          expect(hasOrder(lists)).toBe(false);
          return;
        }
        expectConsistent(merged, lists);
      }),
    );
  });

  it('keeps the project order as the first appearance order when policies add only new stages', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(STAGE_NAMES), (project) => {
        const merged = mergeInjectStages(wrapped(project), [{ name: 'p', stages: wrapped(['only-in-policy']) }]);
        expect(merged).toEqual(wrapped([...project, 'only-in-policy']));
      }),
    );
  });
});
