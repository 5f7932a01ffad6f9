/**
 * The store commands through the CLI (in-process, injected I/O): sync, the questions in table
 * and JSON, compose recording its pipeline and reading policies from the store, on a PGlite
 * folder and on a PostgreSQL server. One store per backend for the file, filled in order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { policyIdOf } from '../../src/store/policy-id.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { BACKENDS, backendSkip, cliStoreFlags } from './store-backends.js';
import { CENTRAL, copyExamples, editFile } from './sync-fixture.js';

const SUPPLY_CHAIN = policyIdOf('security/policies', 'pipeline_execution_policy', 'Supply-chain checks');

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`store commands on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    let storeFlags: string[];
    let dir: string;
    const cli = (...argv: string[]) => runInProcess([...argv, ...storeFlags], dir);
    const workspaceFlags = () => ['--workspace', dir, '--policy-project', 'security/policies'];

    beforeAll(async () => {
      dir = await copyExamples();
      // acme/web is enforced: its CI/CD configuration file is the central one.
      await editFile(dir, 'workspace.yml', (text) => text.replace('  acme/web:\n', `  acme/web:\n    ci_config_path: ${CENTRAL}\n`));
      storeFlags = await cliStoreFlags(name, 'store-cli-');
    }, 60_000);

    it('sync says what it wrote, and a second sync that nothing changed', async () => {
      const first = await cli('sync', ...workspaceFlags(), '--central-config', CENTRAL);
      expect(first.stderr).toBe('');
      expect(first.stdout).toBe('security/policies: synced, 7 new policy version(s)\nprojects: 3 read, 3 changed\nlinks: 18 added or updated, 0 removed\n');
      const second = await cli('sync', ...workspaceFlags(), '--central-config', CENTRAL, '--format', 'json');
      expect(JSON.parse(second.stdout)).toEqual({
        policyProjects: [{ path: 'security/policies', changed: false, versionsAdded: 0 }],
        projects: 3,
        projectsChanged: 0,
        linksAdded: 0,
        linksRemoved: 0,
      });
    }, 60_000);

    it('policies list and show answer from the store', async () => {
      const list = await cli('policies', 'list', '--format', 'json');
      const policies = JSON.parse(list.stdout) as { id: string; name: string; currentVersion: number; projects: number }[];
      expect(policies.find((policy) => policy.id === SUPPLY_CHAIN)).toMatchObject({ name: 'Supply-chain checks', currentVersion: 1, projects: 3 });
      const table = await cli('policies', 'list');
      expect(table.stdout.split('\n')[0]).toBe('ID                TYPE                       NAME                                                POLICY PROJECT     VERSION  ENABLED  PROJECTS');
      const show = await cli('policies', 'show', 'Compliance audit');
      expect(show.stdout).toContain('Compliance audit (');
      expect(show.stdout).toContain('  includes:        security/policies:ci/compliance-audit.yml');
      expect(show.stdout).toContain('  applies to:      2 project(s)');
    });

    it('compose records its pipeline, and projects show judges the project compliant', async () => {
      const composed = await cli('compose', ...workspaceFlags(), '--project', 'acme/web', '--pipeline-id', '7001', '--sha', 'c0ffee');
      expect(composed.code).toBe(0);
      const shown = await cli('projects', 'show', 'acme/web', '--format', 'json');
      const view = JSON.parse(shown.stdout) as { enforced: boolean; compliant: boolean; why: string; lastPipeline: { pipelineId: number; sha: string; result: string } };
      expect(view).toMatchObject({ enforced: true, compliant: true, why: 'pipeline 7001 applied the current version of every policy that applies' });
      expect(view.lastPipeline).toMatchObject({ pipelineId: 7001, sha: 'c0ffee', result: 'composed' });
      const api = JSON.parse((await cli('projects', 'show', 'acme/api', '--format', 'json')).stdout) as { enforced: boolean; compliant: boolean; why: string };
      expect(api).toMatchObject({ enforced: false, compliant: false, why: 'not enforced: the CI configuration file does not point at the central file' });
    });

    it('compose --policies-from store writes the same pipeline as from the workspace', async () => {
      const fromWorkspace = await runInProcess(['compose', ...workspaceFlags(), '--project', 'acme/api'], dir);
      const fromStore = await cli('compose', ...workspaceFlags(), '--project', 'acme/api', '--policies-from', 'store', '--pipeline-id', '7002');
      expect(fromStore.code).toBe(0);
      expect(fromStore.stdout).toBe(fromWorkspace.stdout);
    });

    it('a policy edit is a new version: history, diff, and coverage of each version', async () => {
      await editFile(dir, 'security/policies/ci/supply-chain.yml', (text) => text.replace(/^/, '# reviewed by security\n'));
      await cli('sync', ...workspaceFlags(), '--central-config', CENTRAL);
      const history = JSON.parse((await cli('policies', 'history', SUPPLY_CHAIN, '--format', 'json')).stdout) as { number: number }[];
      expect(history.map((version) => version.number)).toEqual([1, 2]);
      const diff = await cli('policies', 'diff', SUPPLY_CHAIN, 'v1', 'v2');
      expect(diff.stdout).toContain('--- security/policies:ci/supply-chain.yml (v1)');
      expect(diff.stdout).toContain('+# reviewed by security');
      const v1 = JSON.parse((await cli('coverage', '--policy', SUPPLY_CHAIN, '--version', '1', '--format', 'json')).stdout) as { projects: { projectPath: string; status: string }[] };
      expect(v1.projects).toEqual([
        // acme/api is not enforced, but its pipeline 7002 (composed from the store) ran v1.
        { projectPath: 'acme/api', status: 'ran', pipelineId: 7002, recordedAt: expect.any(String) },
        { projectPath: 'acme/ci-templates', status: 'not-enforced', pipelineId: null, recordedAt: null },
        { projectPath: 'acme/web', status: 'ran', pipelineId: 7001, recordedAt: expect.any(String) },
      ]);
      const v2 = await cli('coverage', '--policy', 'Supply-chain checks');
      expect(v2.stdout.split('\n')[0]).toBe('Supply-chain checks v2: 3 project(s); ran 0, did not run 1, not enforced 2');
      const web = JSON.parse((await cli('projects', 'show', 'acme/web', '--format', 'json')).stdout) as { compliant: boolean; why: string };
      expect(web).toMatchObject({ compliant: false, why: 'pipeline 7001 did not apply Supply-chain checks v2' });
    });

    it('names unknown policies, versions and projects, and bad questions, as usage errors', async () => {
      expect((await cli('policies', 'show', 'no-such-policy')).stderr).toBe(
        'policy-sidecar: the policy store has no policy no-such-policy\n  hint: policy-sidecar policies list shows the ids.\n',
      );
      expect((await cli('policies', 'diff', SUPPLY_CHAIN, 'v1', 'v9')).stderr).toContain('Supply-chain checks has no version v9');
      expect((await cli('projects', 'show', 'acme/nope')).stderr).toContain('the policy store has no project acme/nope');
      const bad = await cli('policies', 'drop');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown policies question drop');
    });
  });
}
