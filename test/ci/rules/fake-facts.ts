/** Repository facts for rule tests: fixed changed paths and per-project file lists, with calls recorded. */
import type { RepositoryFacts } from '../../../src/ci/context.js';

export interface FakeFacts extends RepositoryFacts {
  readonly compareToCalls: (string | undefined)[];
  readonly projectFileCalls: [string | undefined, string | undefined][];
}

export function fakeFacts(changed: readonly string[] | undefined, files: Readonly<Record<string, readonly string[]>> = {}): FakeFacts {
  const compareToCalls: (string | undefined)[] = [];
  const projectFileCalls: [string | undefined, string | undefined][] = [];
  return {
    compareToCalls,
    projectFileCalls,
    async changedPaths(compareTo) {
      compareToCalls.push(compareTo);
      return changed;
    },
    async projectFiles(project, ref) {
      projectFileCalls.push([project, ref]);
      return files[project ?? ''] ?? [];
    },
  };
}
