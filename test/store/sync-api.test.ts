/**
 * `sync` against a GitLab stand-in on 127.0.0.1 (the same handlers compose's tests use, plus a
 * group's projects and head commits): the store ends up as from the workspace, and a second
 * sync that finds the same head commits reads no policy file at all.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { frameworksHiddenFor, gitlabStoreHandlersFor, type StoreHandlerOptions } from '../http/gitlab-store-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { CENTRAL, copyExamples, editFile } from './sync-fixture.js';

const TOKEN = 'glpat-sync-secret-0123456789';
const servers: ServedHandlers[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function standIn(dir: string, options: Omit<StoreHandlerOptions, 'baseUrl' | 'token'> = {}, before: (baseUrl: string) => ReturnType<typeof frameworksHiddenFor>[] = () => []): Promise<ServedHandlers> {
  const server = await serveHandlers((baseUrl) => [
    ...before(baseUrl),
    ...gitlabStoreHandlersFor(dir, { ...options, baseUrl, token: TOKEN }),
    ...gitlabHandlersFor(dir, { baseUrl, token: TOKEN }),
  ]);
  servers.push(server);
  return server;
}

async function syncGroup(server: ServedHandlers, dir: string, store: string) {
  return runInProcess(['sync', '--gitlab-url', server.url, '--group', 'acme', '--policy-project', 'security/policies', '--central-config', CENTRAL, '--store', store, '--format', 'json'], dir, {
    POLICY_SIDECAR_TOKEN: TOKEN,
  });
}

/** GET /projects/:id of a project, or one of its own endpoints (protected branches...), by full path. */
function perProjectReads(requests: readonly string[], path: string): string[] {
  const id = encodeURIComponent(path);
  return requests.filter((request) => request.startsWith(`GET /api/v4/projects/${id}?`) || request === `GET /api/v4/projects/${id}` || request.startsWith(`GET /api/v4/projects/${id}/protected_branches`));
}

describe('sync from the GitLab API', () => {
  it('syncs the group, then finds nothing changed from head commits alone, then sees an edit', async () => {
    const dir = await copyExamples();
    await editFile(dir, 'workspace.yml', (text) => text.replace('  acme/web:\n', `  acme/web:\n    ci_config_path: ${CENTRAL}\n`));
    const server = await serveHandlers((baseUrl) => [...gitlabStoreHandlersFor(dir, { baseUrl, token: TOKEN }), ...gitlabHandlersFor(dir, { baseUrl, token: TOKEN })]);
    servers.push(server);
    const store = join(await mkdtemp(join(tmpdir(), 'sync-api-')), 'store');
    const sync = () =>
      runInProcess(['sync', '--gitlab-url', server.url, '--group', 'acme', '--policy-project', 'security/policies', '--central-config', CENTRAL, '--store', store, '--format', 'json'], dir, {
        POLICY_SIDECAR_TOKEN: TOKEN,
      });

    const first = await sync();
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({
      policyProjects: [{ path: 'security/policies', changed: true, versionsAdded: 7 }],
      projects: 3,
      projectsChanged: 3,
      linksAdded: 18,
      linksRemoved: 0,
    });
    const web = await runInProcess(['projects', 'show', 'acme/web', '--store', store, '--format', 'json'], dir);
    expect(JSON.parse(web.stdout)).toMatchObject({ enforced: true, ciConfigPath: CENTRAL, groups: [10], frameworks: [3] });

    const before = server.requests.length;
    const second = await sync();
    expect(JSON.parse(second.stdout)).toMatchObject({ policyProjects: [{ path: 'security/policies', changed: false, versionsAdded: 0 }], projectsChanged: 0, linksAdded: 0 });
    const secondRequests = server.requests.slice(before);
    expect(secondRequests.filter((request) => request.includes('/repository/files/'))).toEqual([]);
    expect(secondRequests.filter((request) => request.includes('/repository/commits')).length).toBe(1);

    await editFile(dir, 'security/policies/ci/compliance-audit.yml', (text) => `${text}\n# stricter\n`);
    const third = await sync();
    expect(JSON.parse(third.stdout)).toMatchObject({ policyProjects: [{ path: 'security/policies', changed: true, versionsAdded: 1 }] });
    expect(first.stderr + second.stderr + third.stderr).not.toContain(TOKEN);
  }, 180_000);

  it('takes what it stores of each project from the group listing, and reads a project shared from elsewhere on its own', async () => {
    const dir = await copyExamples();
    await editFile(dir, 'workspace.yml', (text) => `${text.trimEnd()}\n  partners/lib:\n    id: 301\n    default_branch: trunk\n    compliance_frameworks: [3]\n    groups: [30]\n`);
    const server = await standIn(dir, { sharedWith: { acme: ['partners/lib'] } });
    const store = join(await mkdtemp(join(tmpdir(), 'sync-api-')), 'store');
    const run = await syncGroup(server, dir, store);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ projects: 4, projectsChanged: 4 });
    for (const path of ['acme/api', 'acme/ci-templates', 'acme/web']) expect(perProjectReads(server.requests, path)).toEqual([]);
    // Its namespace is outside acme's tree: its groups come from its own reads, as before.
    expect(perProjectReads(server.requests, 'partners/lib').length).toBeGreaterThan(0);
    // The three of acme in one GraphQL query; the policy project and the shared one alone.
    expect(server.requests.filter((request) => request.startsWith('POST /api/graphql')).length).toBe(3);
    const show = async (path: string) => JSON.parse((await runInProcess(['projects', 'show', path, '--store', store, '--format', 'json'], dir)).stdout);
    expect(await show('acme/api')).toMatchObject({ gitlabId: 102, groups: [10], frameworks: [3], defaultBranch: 'main', ciConfigPath: null, enforced: false });
    expect(await show('acme/ci-templates')).toMatchObject({ gitlabId: 103, groups: [10], frameworks: [] });
    expect(await show('partners/lib')).toMatchObject({ gitlabId: 301, groups: [30], frameworks: [3], defaultBranch: 'trunk' });
  }, 180_000);

  it('fails and writes nothing when GraphQL cannot see the compliance frameworks of a listed project', async () => {
    const dir = await copyExamples();
    const server = await standIn(dir, {}, (baseUrl) => [frameworksHiddenFor(baseUrl, ['acme/api'])]);
    const store = join(await mkdtemp(join(tmpdir(), 'sync-api-')), 'store');
    const run = await syncGroup(server, dir, store);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('cannot see the compliance frameworks of project acme/api');
    expect(existsSync(store)).toBe(false);
  }, 180_000);
});
