/**
 * What composing the example costs against GitLab (docs/gitlab-api.md quotes these numbers): the
 * real compose command in-process, its sources on a local GitLab stand-in over real HTTP (the
 * msw handlers of test/http on 127.0.0.1), the checkout of acme/web on disk. Rounds are counted
 * by what each request waits for, not by the clock: the stand-in holds every answer until the
 * expected number of requests of the round has arrived, then answers them all. A request that
 * needs an earlier answer cannot arrive before it is released, so it lands in a later round; a
 * request sent without waiting lands in the current one. So the count holds on a loaded machine,
 * and a change that adds a round (or a request) still fails the test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { runInProcess } from '../helpers/temp-workspace.js';

let standIn: ServedHandlers;

beforeAll(async () => {
  standIn = await serveHandlers(
    (baseUrl) => gitlabHandlersFor('examples/workspace', { baseUrl, securityPolicyProjects: { acme: 'security/policies' } }),
    { gated: true },
  );
});
afterAll(() => standIn.close());

async function composeInJob(flags: readonly string[], roundSizes: readonly number[], gitlab: ServedHandlers = standIn): Promise<string[][]> {
  const checkout = resolve('examples/workspace/acme/web');
  gitlab.closeGate();
  // Terminal flags: --job adds GET /job and GET /projects/:id before these (docs/gitlab-api.md).
  const running = runInProcess(['compose', '--gitlab-url', gitlab.url, '--project', 'acme/web', '--branch', 'main', ...flags], checkout, {
    POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN,
  });
  const rounds: string[][] = [];
  for (const size of roundSizes) rounds.push(await gitlab.releaseRound(size, running));
  // Whatever comes after the expected rounds is answered at once and shows up as an extra round.
  const late = gitlab.openGate();
  const run = await running;
  const after = gitlab.openGate();
  expect([run.code, run.stderr]).toEqual([0, '']);
  expect(run.stdout).toContain('stages:');
  // `METHOD /path` without /api/v4 and the query, sorted within each round.
  return [...rounds, late, after]
    .filter((round) => round.length > 0)
    .map((round) => round.map((request) => request.replace(/\?.*$/, '').replace('/api/v4', '')).sort());
}

const metadataOf = (project: string, group: string): string[] => [
  `GET /groups/${group}`,
  `GET /groups/${group}/protected_branches`,
  `GET /projects/${project}`,
  `GET /projects/${project}/protected_branches`,
  'POST /api/graphql',
];

// No clock in the assertions; the generous timeout only covers a slow, loaded machine.
describe('round trips of compose for the example (acme/web, policies linked to the group acme)', { timeout: 60_000 }, () => {
  it('finding the policy project by its link: 18 requests in 4 rounds', async () => {
    const expected = [
      // the project's metadata, and the security policy project links with the groups its path names
      [...metadataOf('acme%2Fweb', 'acme'), 'POST /api/graphql'].sort(),
      // prefetched with the link: the policy project's metadata and its policy file together
      [...metadataOf('security%2Fpolicies', 'security'), 'GET /projects/security%2Fpolicies/repository/files/.gitlab%2Fsecurity-policies%2Fpolicy.yml/raw'].sort(),
      ['GET /projects/security%2Fpolicies/repository/files/ci%2Fcompliance-audit.yml/raw', 'GET /projects/security%2Fpolicies/repository/files/ci%2Fsupply-chain.yml/raw'],
      // include:project: the file goes out with the project's metadata (groups/acme: fetched already)
      ['GET /projects/acme%2Fci-templates', 'GET /projects/acme%2Fci-templates/protected_branches', 'GET /projects/acme%2Fci-templates/repository/files/templates%2Fnode.yml/raw', 'POST /api/graphql'],
    ];
    const rounds = await composeInJob([], expected.map((round) => round.length));
    expect(rounds).toEqual(expected);
    expect(rounds.flat()).toHaveLength(18);
  });

  it('with --policy-project: 17 requests in 4 rounds (the policy file goes out with its project)', async () => {
    const sizes = [5, 6, 2, 4];
    const rounds = await composeInJob(['--policy-project', 'security/policies'], sizes);
    expect(rounds.map((round) => round.length)).toEqual(sizes);
    expect(rounds.flat()).toHaveLength(17);
  });
});

describe('round trips with a cache folder (raw files kept by the SHA-256 GitLab sends)', { timeout: 60_000 }, () => {
  let cached: ServedHandlers;
  beforeAll(async () => {
    cached = await serveHandlers(
      (baseUrl) =>
        gitlabHandlersFor('examples/workspace', {
          baseUrl,
          securityPolicyProjects: { acme: 'security/policies' },
          only: ['project', 'raw-file', 'file-metadata', 'tree', 'protected-branches', 'group', 'group-protected-branches', 'merge-requests', 'graphql'],
        }),
      { gated: true },
    );
  });
  afterAll(() => cached.close());

  it('cold: 18 requests in 4 rounds, as without a cache (no HEAD before a file nothing is kept for); warm: 16 in 3, no raw file read again', async () => {
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'round-trips-cache-')), 'cache');
    const cold = await composeInJob(['--cache-dir', cacheDir], [6, 6, 2, 4], cached);
    expect(cold.map((round) => round.length)).toEqual([6, 6, 2, 4]);
    const raw = (rounds: string[][]) => rounds.flat().filter((request) => request.endsWith('/raw'));
    expect(raw(cold)).toHaveLength(4);
    expect(cold.flat().filter((request) => request.startsWith('HEAD ') || request.endsWith('/tree'))).toEqual([]);
    const warm = await composeInJob(['--cache-dir', cacheDir], [6, 6, 4], cached);
    expect(warm).toEqual([
      [...metadataOf('acme%2Fweb', 'acme'), 'POST /api/graphql'].sort(),
      // The policy project's three files (policy.yml and two CI files) by one listing of its tree:
      // their blob ids name the kept copies, and the CI files' round is gone.
      [...metadataOf('security%2Fpolicies', 'security'), 'GET /projects/security%2Fpolicies/repository/tree'].sort(),
      // One file kept for acme/ci-templates: its metadata HEAD.
      ['GET /projects/acme%2Fci-templates', 'GET /projects/acme%2Fci-templates/protected_branches', 'HEAD /projects/acme%2Fci-templates/repository/files/templates%2Fnode.yml', 'POST /api/graphql'],
    ]);
    expect(raw(warm)).toEqual([]);
  });
});
