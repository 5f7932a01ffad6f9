/**
 * Where the reserved policy stages go in a pipeline GitLab accepts without policies. A child
 * pipeline gets no pipeline execution policies of its own (reference §3.9), so
 * `.pipeline-policy-pre` and `.pipeline-policy-post` are unknown stages there (§3.2).
 *
 * All four special stages become normal stages, in GitLab's order:
 * `.pipeline-policy-pre` → `policy-sidecar:pipeline-policy-pre`, then the pre barrier's stage,
 * then `.pre` → `policy-sidecar:pre`, the project's stages, `.post` → `policy-sidecar:post`, the
 * post barrier's stage, `.pipeline-policy-post` → `policy-sidecar:pipeline-policy-post`.
 * Normal stages rather than GitLab's `.pre`/`.post`, because a pipeline whose jobs all sit in
 * `.pre`/`.post` is not created (docs "stages: .pre"), yet a policy-only pipeline must run
 * (reference §7 behaviour 15). A side is remapped only when it has policy jobs, so pipelines
 * without them keep their stages.
 */
import type { ComposedJob } from '../types.js';

export const POLICY_PRE_STAGE = '.pipeline-policy-pre';
export const POLICY_POST_STAGE = '.pipeline-policy-post';
const SPECIAL_STAGES = new Set(['.pre', '.post', POLICY_PRE_STAGE, POLICY_POST_STAGE]);

export interface StageLayout {
  /** The full order, `.pre` first and `.post` last (they stay empty when remapped). */
  readonly stages: readonly string[];
  /** The stage a composed job runs in. */
  readonly placeOf: (stage: string) => string;
  /** Stage of `policy-sidecar:pre-barrier`; undefined when there are no policy pre jobs. */
  readonly preBarrierStage: string | undefined;
  /** Stage of `policy-sidecar:post-barrier`; undefined when no policy post job uses `needs`. */
  readonly postBarrierStage: string | undefined;
}

export function planStageLayout(composedStages: readonly string[], jobs: readonly ComposedJob[]): StageLayout {
  const hasPre = jobs.some((job) => job.stage === POLICY_PRE_STAGE);
  const hasPost = jobs.some((job) => job.stage === POLICY_POST_STAGE);
  const postNeeds = jobs.some((job) => job.stage === POLICY_POST_STAGE && job.needs !== undefined);
  const middle = composedStages.filter((stage) => !SPECIAL_STAGES.has(stage));
  const taken = new Set(composedStages);
  const name = (wanted: string): string => {
    const unique = uniqueName(wanted, taken);
    taken.add(unique);
    return unique;
  };

  const pre = hasPre
    ? { policy: name('policy-sidecar:pipeline-policy-pre'), barrier: name('policy-sidecar:pre-barrier'), project: name('policy-sidecar:pre') }
    : undefined;
  const post = hasPost
    ? {
        project: name('policy-sidecar:post'),
        barrier: postNeeds ? name('policy-sidecar:post-barrier') : undefined,
        policy: name('policy-sidecar:pipeline-policy-post'),
      }
    : undefined;
  const mapping = new Map<string, string>();
  if (pre !== undefined) {
    mapping.set(POLICY_PRE_STAGE, pre.policy);
    mapping.set('.pre', pre.project);
  }
  if (post !== undefined) {
    mapping.set('.post', post.project);
    mapping.set(POLICY_POST_STAGE, post.policy);
  }
  const stages = [
    '.pre',
    ...(pre === undefined ? [] : [pre.policy, pre.barrier, pre.project]),
    ...middle,
    ...(post === undefined ? [] : [post.project, ...(post.barrier === undefined ? [] : [post.barrier]), post.policy]),
    '.post',
  ];
  return {
    stages,
    placeOf: (stage) => mapping.get(stage) ?? stage,
    preBarrierStage: pre?.barrier,
    postBarrierStage: post?.barrier,
  };
}

/** `wanted`, or `wanted-2`, `-3`… when a project already uses the name: deterministic, never a clash. */
export function uniqueName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  let suffix = 2;
  while (taken.has(`${wanted}-${String(suffix)}`)) suffix += 1;
  return `${wanted}-${String(suffix)}`;
}
