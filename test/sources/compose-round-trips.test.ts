/**
 * What composing the example costs against GitLab (docs/gitlab-api.md quotes these numbers): the
 * real compose command in-process, its sources on a local GitLab stand-in over real HTTP (the
 * msw handlers of test/http on 127.0.0.1, 100 ms of latency each so requests sent together
 * overlap), the checkout of acme/web on disk. A round is a stretch in which the stand-in is busy:
 * the requests of one round went out together, the next round waited for them.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { runInProcess } from '../helpers/temp-workspace.js';

let gitlab: ServedHandlers;

beforeAll(async () => {
  gitlab = await serveHandlers(
    (baseUrl) => gitlabHandlersFor('examples/workspace', { baseUrl, securityPolicyProjects: { acme: 'security/policies' } }),
    { latencyMs: 100 },
  );
});
afterAll(() => gitlab.close());

async function composeInJob(flags: readonly string[]): Promise<string[][]> {
  const checkout = resolve('examples/workspace/acme/web');
  const before = gitlab.rounds().length;
  // Terminal flags: --job adds GET /job and GET /projects/:id before these (docs/gitlab-api.md).
  const run = await runInProcess(['compose', '--gitlab-url', gitlab.url, '--project', 'acme/web', '--branch', 'main', ...flags], checkout, {
    POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN,
  });
  expect([run.code, run.stderr]).toEqual([0, '']);
  expect(run.stdout).toContain('stages:');
  // `METHOD /path` without /api/v4 and the query, sorted within each round.
  return gitlab.rounds().slice(before).map((round) => round.map((request) => request.replace(/\?.*$/, '').replace('/api/v4', '')).sort());
}

const metadataOf = (project: string, group: string): string[] => [
  `GET /groups/${group}`,
  `GET /groups/${group}/protected_branches`,
  `GET /projects/${project}`,
  `GET /projects/${project}/protected_branches`,
  'POST /api/graphql',
];

describe('round trips of compose for the example (acme/web, policies linked to the group acme)', () => {
  it('finding the policy project by its link: 18 requests in 6 rounds', async () => {
    const rounds = await composeInJob([]);
    expect(rounds).toEqual([
      metadataOf('acme%2Fweb', 'acme'),
      ['POST /api/graphql'], // the security policy project links
      // prefetched with the link: the policy project's metadata and its policy file together
      [...metadataOf('security%2Fpolicies', 'security'), 'GET /projects/security%2Fpolicies/repository/files/.gitlab%2Fsecurity-policies%2Fpolicy.yml/raw'].sort(),
      ['GET /projects/security%2Fpolicies/repository/files/ci%2Fcompliance-audit.yml/raw', 'GET /projects/security%2Fpolicies/repository/files/ci%2Fsupply-chain.yml/raw'],
      ['GET /projects/acme%2Fci-templates', 'GET /projects/acme%2Fci-templates/protected_branches', 'POST /api/graphql'], // groups/acme: fetched already
      ['GET /projects/acme%2Fci-templates/repository/files/templates%2Fnode.yml/raw'],
    ]);
    expect(rounds.flat()).toHaveLength(18);
  });

  it('with --policy-project: 17 requests in 6 rounds', async () => {
    const rounds = await composeInJob(['--policy-project', 'security/policies']);
    expect(rounds.map((round) => round.length)).toEqual([5, 5, 1, 2, 3, 1]);
    expect(rounds.flat()).toHaveLength(17);
  });
});
