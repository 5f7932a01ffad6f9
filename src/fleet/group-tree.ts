/**
 * The groups above every project of an audited group, for policy_scope's `groups` dimension:
 * read once per run (a group tree is small next to its projects), so each project's ancestors
 * cost no request.
 */
import type { FleetGroup } from '../sources/gitlab/fleet-api.js';

export class GroupTree {
  private readonly parents = new Map<number, number | null>();

  add(group: FleetGroup): void {
    this.parents.set(group.id, group.parentId);
  }

  /** Ancestor ids of a namespace, itself included, top-most first; stops at a group it does not know. */
  ancestorsOf(namespaceId: number): number[] {
    const chain: number[] = [];
    const seen = new Set<number>();
    for (let id: number | null | undefined = namespaceId; id !== null && id !== undefined && !seen.has(id); id = this.parents.get(id)) {
      if (!this.parents.has(id)) break;
      seen.add(id);
      chain.unshift(id);
    }
    return chain;
  }
}
