/**
 * `sync` against a GitLab stand-in on 127.0.0.1 (the same handlers compose's tests use, plus a
 * group's projects and head commits): the store ends up as from the workspace, and a second
 * sync that finds the same head commits reads no policy file at all.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { gitlabStoreHandlersFor } from '../http/gitlab-store-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { runInProcess } from '../helpers/temp-workspace.js';
import { CENTRAL, copyExamples, editFile } from './sync-fixture.js';

const TOKEN = 'glpat-sync-secret-0123456789';
const servers: ServedHandlers[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

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
});
