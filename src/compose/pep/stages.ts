/**
 * Stage lists of a pipeline with pipeline execution policies (gitlab-pep-sep.md §3.2).
 * Every list here is a full wrapped list: `.pipeline-policy-pre, .pre, …, .post, .pipeline-policy-post`.
 */
import {
  DEFAULT_STAGES,
  POLICY_POST_STAGE,
  POLICY_PRE_STAGE,
  POST_STAGE,
  PRE_STAGE,
} from '../../ci/expand/stages.js';
import { PolicyError } from '../../errors.js';

export interface PolicyStages {
  /** The policy's name, for messages. */
  readonly name: string;
  readonly stages: readonly string[];
}

const RESERVED_STAGES = new Set([POLICY_PRE_STAGE, POLICY_POST_STAGE]);
const EDGE_STAGES = new Set([POLICY_PRE_STAGE, PRE_STAGE, POST_STAGE, POLICY_POST_STAGE]);

const ERROR_PREFIX = 'Pipeline execution policy error: ';

/** The stages of a pipeline whose configuration declares none, wrapped (§3.2, ReservedStagesInjector). */
export function defaultWrappedStages(): string[] {
  return wrapReservedStages([PRE_STAGE, ...DEFAULT_STAGES, POST_STAGE]);
}

/**
 * `stages` (already `.pre … .post`) with the two reserved stages first and last. A copy of a
 * reserved name inside the list is removed first, as ReservedStagesInjector does; so the
 * function is idempotent.
 */
export function wrapReservedStages(stages: readonly string[]): string[] {
  const inner = stages.filter((stage) => !RESERVED_STAGES.has(stage));
  return [POLICY_PRE_STAGE, ...inner, POLICY_POST_STAGE];
}

/**
 * The `inject_policy` stage merge (§3.2, CustomStagesInjector / Config::StagesMerger, sorted by
 * YamlProcessor::Dag, i.e. Ruby TSort): each stage depends on every stage before it in each
 * list; the maps are merged project first, then policies in application order; a DFS
 * post-order over that insertion order gives the result. Any cycle, a self-dependency
 * included, is GitLab's "Cyclic dependencies" error.
 */
export function mergeInjectStages(project: readonly string[], policies: readonly PolicyStages[]): string[] {
  const lists = [
    { name: 'project', stages: project },
    ...policies.map((policy) => ({ name: `policy "${policy.name}"`, stages: policy.stages })),
  ];
  const dependencies = new Map<string, Set<string>>();
  for (const list of lists) {
    list.stages.forEach((stage, position) => {
      const before = dependencies.get(stage) ?? new Set<string>();
      // A Set keeps insertion order: the ordered union of the arrays GitLab builds per list.
      for (const earlier of list.stages.slice(0, position)) before.add(earlier);
      dependencies.set(stage, before);
    });
  }
  return sortStages(dependencies, lists);
}

type NodeState = 'visiting' | 'done';

function sortStages(dependencies: ReadonlyMap<string, ReadonlySet<string>>, lists: readonly PolicyStages[]): string[] {
  const state = new Map<string, NodeState>();
  const sorted: string[] = [];
  // An explicit stack rather than recursion, so the DFS path is at hand to report a cycle.
  for (const root of dependencies.keys()) {
    if (state.has(root)) continue;
    const path: { stage: string; pending: string[] }[] = [{ stage: root, pending: [...(dependencies.get(root) ?? [])] }];
    state.set(root, 'visiting');
    for (let top = path.at(-1); top !== undefined; top = path.at(-1)) {
      const next = top.pending.shift();
      if (next === undefined) {
        path.pop();
        state.set(top.stage, 'done');
        sorted.push(top.stage);
        continue;
      }
      const seen = state.get(next);
      if (seen === 'done') continue;
      if (seen === 'visiting') {
        const chain = path.map((entry) => entry.stage);
        throw cycleError([...chain.slice(chain.indexOf(next)), next], lists);
      }
      state.set(next, 'visiting');
      path.push({ stage: next, pending: [...(dependencies.get(next) ?? [])] });
    }
  }
  return sorted;
}

function cycleError(chain: readonly string[], lists: readonly PolicyStages[]): PolicyError {
  // The chain is walked along "depends on" edges, so reversed it reads in run order.
  const order = [...chain].reverse().join(' → ');
  const declared = lists.map((list) => `${list.name}: ${unwrap(list.stages).join(', ')}`).join('; ');
  return new PolicyError(
    'pep-stage-cycle',
    `${ERROR_PREFIX}Cyclic dependencies detected when enforcing policies. Ensure stages across the project and policies are aligned.`,
    {
      hint:
        `The stage lists ask for ${order}, which is a cycle. Declared stages: ${declared}. ` +
        'A policy without `stages:` brings build, test, deploy; declare stages in every inject_policy policy.',
    },
  );
}

/**
 * Several `override_project_ci` policies (§3.2, PipelineContext#collect_declared_override_stages!):
 * keep the longest list seen so far; every other list must be an ordered subset of it
 * (`small == big & small`). Compared without the edge stages, which every list shares.
 */
export function mergeOverrideStages(policies: readonly PolicyStages[]): string[] {
  let kept: string[] | undefined;
  for (const policy of policies) {
    const stages = unwrap(policy.stages);
    if (kept === undefined) {
      kept = stages;
      continue;
    }
    // Ties keep the earlier list as the big one, as GitLab's `stages.size > kept.size` does.
    const [big, small] = stages.length > kept.length ? [stages, kept] : [kept, stages];
    if (!isOrderedSubset(small, big)) {
      throw new PolicyError(
        'pep-override-stages',
        `${ERROR_PREFIX}Policy \`${policy.name}\` could not be applied. ` +
          `Its stages are incompatible with stages of another \`override_project_ci\` policy: ${kept.join(', ')}.`,
        {
          hint:
            `Its stages are ${stages.join(', ')}. ` +
            'Each override_project_ci policy must declare the longest list or an ordered subset of it.',
        },
      );
    }
    kept = big;
  }
  return kept === undefined ? defaultWrappedStages() : wrapReservedStages([PRE_STAGE, ...kept, POST_STAGE]);
}

/** `small == big & small` in Ruby: the stages of `big` that are in `small`, in `big`'s order, equal `small`. */
function isOrderedSubset(small: readonly string[], big: readonly string[]): boolean {
  const wanted = new Set(small);
  const common = big.filter((stage) => wanted.has(stage));
  return common.length === small.length && common.every((stage, position) => stage === small[position]);
}

/** A list without `.pipeline-policy-pre`, `.pre`, `.post`, `.pipeline-policy-post`: what users declare. */
export function unwrap(stages: readonly string[]): string[] {
  return stages.filter((stage) => !EDGE_STAGES.has(stage));
}
