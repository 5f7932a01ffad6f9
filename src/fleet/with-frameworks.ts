/**
 * Attaches compliance framework ids to a stream of projects, one GraphQL request per `batch`
 * projects (aliases in one query) rather than one per project. The stream keeps its order and
 * holds at most one batch ahead of the work on it. Pure of I/O: the read is passed in.
 */
import type { FleetProject } from '../sources/gitlab/fleet-api.js';
import type { FrameworkIds } from '../sources/gitlab/gitlab-graphql.js';

export type FramedProject = FleetProject & {
  /** Undefined when not read: no policy's scope names compliance frameworks. */
  readonly complianceFrameworks?: FrameworkIds;
};

/**
 * 20 aliases of `project { complianceFrameworks { nodes { id } } }` stay well inside GitLab's
 * query complexity budget for an authenticated caller (AUTHENTICATED_MAX_COMPLEXITY 250,
 * app/graphql/gitlab_schema.rb) and make 1 request per 20 projects.
 */
export const FRAMEWORK_BATCH = 20;

export async function* withFrameworks(
  projects: AsyncIterable<FleetProject>,
  read: (paths: readonly string[]) => Promise<ReadonlyMap<string, FrameworkIds>>,
  batch: number = FRAMEWORK_BATCH,
): AsyncGenerator<FramedProject> {
  let pending: FleetProject[] = [];
  const flush = async function* (): AsyncGenerator<FramedProject> {
    const found = await read(pending.map((project) => project.path));
    // A path GraphQL did not answer for is not "no frameworks".
    for (const project of pending) yield { ...project, complianceFrameworks: found.get(project.path) ?? 'unreadable' };
    pending = [];
  };
  for await (const project of projects) {
    pending.push(project);
    if (pending.length >= batch) yield* flush();
  }
  if (pending.length > 0) yield* flush();
}
