/** The example workspace copied to a temporary folder, so a test can edit policies and projects. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkspace } from '../../src/sources/workspace/workspace-source.js';
import type { PolicyStore } from '../../src/store/open-store.js';
import { workspaceHeadCommits } from '../../src/sync/head-commits.js';
import { syncStore, type SyncOutcome } from '../../src/sync/sync-store.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/workspace', import.meta.url));
export const POLICY_PROJECT = 'security/policies';
export const PROJECTS = ['acme/api', 'acme/ci-templates', 'acme/web'];
export const CENTRAL = 'pipeline.yml@platform/ci';

export async function copyExamples(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'store-sync-'));
  await cp(EXAMPLES, dir, { recursive: true });
  return dir;
}

/** One sync of the workspace; acme/web is enforced, the others are not (their setting is left default). */
export async function syncWorkspace(store: PolicyStore, dir: string, enforced: readonly string[] = ['acme/web']): Promise<SyncOutcome> {
  const source = await openWorkspace(dir);
  return syncStore(store, {
    source,
    headCommit: workspaceHeadCommits(source),
    policyProjects: [POLICY_PROJECT],
    projects: PROJECTS.map((path) => ({ path, ciConfigPath: enforced.includes(path) ? CENTRAL : null })),
    centralConfig: CENTRAL,
  });
}

export async function editFile(dir: string, path: string, edit: (text: string) => string): Promise<void> {
  const file = join(dir, path);
  await writeFile(file, edit(await readFile(file, 'utf8')));
}
