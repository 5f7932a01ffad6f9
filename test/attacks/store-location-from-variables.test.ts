/**
 * Attack: the project chooses which policies compose reads by pointing it at a store of its own.
 * A Maintainer (project CI/CD variable) or a Developer (pipeline variable) sets
 * POLICY_SIDECAR_STORE or POLICY_SIDECAR_DATABASE_URL to a store where the policy project has no
 * policies (or none in scope). compose reads the store's location from its flags only, which the
 * CI/CD component compiles into the job script (SPEC §2 Trust): the variables are never read, and
 * `--policies-from store` without a flag fails closed. A store lacking a policy project fails
 * closed too. Run through the real CLI process.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, writeWorkspace } from '../helpers/temp-workspace.js';
import { baseWorkspace, pipelinePolicy, POLICY_CI, POLICY_FILE } from './policy-job-workspace.js';
import { runRealCli } from './real-cli.js';

const enforced = {
  ...baseWorkspace,
  [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy()] },
  [POLICY_CI]: { 'policy-gate': { stage: '.pipeline-policy-pre', script: ['echo enforced'] } },
};
/** The project's own store: the same policy, disabled. */
const forged = { ...enforced, [POLICY_FILE]: { pipeline_execution_policy: [pipelinePolicy({ enabled: false })] } };

let workspace: string;
let realStore: string;
let forgedStore: string;

async function syncedStore(files: typeof enforced, policyProject: string): Promise<string> {
  const root = await writeWorkspace(files);
  const store = join(await mkdtemp(join(tmpdir(), 'attack-store-')), 'store');
  const synced = await runInProcess(['sync', '--workspace', root, '--policy-project', policyProject, '--store', store], root);
  if (synced.code !== 0) throw new Error(synced.stderr);
  return store;
}

beforeAll(async () => {
  workspace = await writeWorkspace(enforced);
  [realStore, forgedStore] = await Promise.all([syncedStore(enforced, 'sec/policies'), syncedStore(forged, 'sec/policies')]);
}, 180_000);

function compose(flags: readonly string[], variables: Record<string, string>) {
  const args = ['compose', '--workspace', workspace, '--project', 'app/web', '--policy-project', 'sec/policies', '--branch', 'main', '--pipeline-id', '41', ...flags];
  return runRealCli(args, { cwd: workspace, env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), FORCE_COLOR: '0', ...variables } });
}

describe('attack: project variables point compose at a store of the project\'s choosing', () => {
  it('POLICY_SIDECAR_STORE does not make --policies-from store read the forged store: fails closed', async () => {
    const result = await compose(['--policies-from', 'store'], { POLICY_SIDECAR_STORE: forgedStore });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'policy-sidecar: --policies-from store needs --store DIR or --database-url URL\n' +
        '  hint: Pass the store as a flag (the CI/CD component input store); POLICY_SIDECAR_STORE and POLICY_SIDECAR_DATABASE_URL are not read by compose.\n',
    );
  }, 120_000);

  it('POLICY_SIDECAR_DATABASE_URL is not read either: no connection, same closed failure', async () => {
    const result = await compose(['--policies-from', 'store'], { POLICY_SIDECAR_DATABASE_URL: 'postgres://attacker:pw@127.0.0.1:1/forged' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--policies-from store needs --store DIR or --database-url URL');
    expect(result.stderr).not.toContain('attacker');
  }, 120_000);

  it('with the store given as a flag, the variable is ignored and the policy job still runs', async () => {
    const result = await compose(['--policies-from', 'store', '--store', realStore], { POLICY_SIDECAR_STORE: forgedStore, POLICY_SIDECAR_DATABASE_URL: 'postgres://attacker:pw@127.0.0.1:1/forged' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('policy-gate:');
  }, 120_000);

  it('without --policies-from store, the variables neither change the policies nor receive a record', async () => {
    const result = await compose([], { POLICY_SIDECAR_STORE: forgedStore, POLICY_SIDECAR_DATABASE_URL: 'postgres://attacker:pw@127.0.0.1:1/forged' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('policy-gate:');
    expect(result.stderr).toBe('');
    const forgedView = await runInProcess(['projects', 'show', 'app/web', '--format', 'json', '--store', forgedStore], workspace);
    expect((JSON.parse(forgedView.stdout) as { lastPipeline: unknown }).lastPipeline).toBeNull();
  }, 120_000);

  it('a store without the policy project fails closed instead of composing without its policies', async () => {
    // The job names a second policy project (a group's) that nobody synced into the store.
    const result = await compose(['--policies-from', 'store', '--store', realStore, '--policy-project', 'other/policies'], {});
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'policy-sidecar: the policy store has no synced copy of security policy project other/policies\n' +
        '  hint: Run policy-sidecar sync with --policy-project for it, or compose with --policies-from api.\n',
    );
  }, 120_000);
});
