/**
 * Attack: the policy project linked to the project's group is made unreadable to the compose
 * token (its membership removed, or the token swapped for one without access). GitLab's GraphQL
 * then answers `securityPolicyProject: null` for the group, exactly as for a group with no link
 * (the Project type authorises read_project), so a run that trusts the answer composes the
 * project's pipeline without any policy. Zero policies fails closed unless `--allow-no-policies`
 * (compiled into the job script by the component's input, never a variable). The real CLI
 * process, against the GitLab stand-in serving the example workspace.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-attack-secret-0123456789';

let checkout: string;
let gitlab: ServedHandlers;

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'checkout-'));
  await cp(join(examples, 'acme/web'), checkout, { recursive: true });
  gitlab = await serveHandlers((baseUrl) =>
    gitlabHandlersFor(examples, { baseUrl, token: TOKEN, securityPolicyProjects: { acme: 'security/policies' }, unreadableProjects: ['security/policies'] }),
  );
});
afterAll(() => gitlab.close());

async function compose(flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: tmpdir(),
    POLICY_SIDECAR_TOKEN: TOKEN,
  };
  // Terminal flags (the policy projects are found the same way with --job: GitLab's links).
  const terminal = ['--gitlab-url', gitlab.url, '--project', 'acme/web', '--branch', 'main', '--source', 'push'];
  return runRealCli(['compose', ...terminal, ...flags], { cwd: checkout, env });
}

describe('a linked policy project the token cannot read', () => {
  it('compose fails closed (no-policies), saying that an unreadable link looks like no link', async () => {
    const result = await compose([]);
    expect(result.code).toBe(2);
    const message = result.stderr.split('\n').find((line) => line.startsWith('policy-sidecar: '));
    expect(message).toContain('no security policy project was given or linked, so no policy is enforced');
    expect(result.stderr).toContain('Reporter role on every linked policy project');
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('only --allow-no-policies (a component input, not a variable) composes without the policies, and warns', async () => {
    const result = await compose(['--allow-no-policies']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stages:');
    expect(result.stderr).toContain('no security policy project was given or linked');
    for (const policyJob of ['secrets-precheck:', 'license-check:', 'provenance:', 'secret-detection-0:']) expect(result.stdout).not.toContain(policyJob);
  });
});
