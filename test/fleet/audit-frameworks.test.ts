/**
 * audit judges policies scoped by compliance frameworks as compose does: the real CLI process
 * against the fleet stand-in, which serves framework 3 on every fourth project over GraphQL
 * (test/http/fleet-gitlab.ts). Frameworks are read in batches, only when a policy needs them.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../attacks/real-cli.js';
import { CENTRAL, fleetFrameworksOf } from '../http/fleet-gitlab.js';
import { startFleet, type FleetServer } from './fleet-cli.js';

const servers: FleetServer[] = [];
async function fleet(...args: Parameters<typeof startFleet>): Promise<FleetServer> {
  const server = await startFleet(...args);
  servers.push(server);
  return server;
}
afterAll(async () => {
  for (const server of servers) await server.served.close();
});

const AUDIT = ['audit', '--group', 'acme', '--central-config', CENTRAL, '--format', 'jsonl', '--policy-project', 'security/policies'];
type Row = { id: number; notes: string[]; policies: { name: string; applied: boolean; reason: string }[] };
const rowsOf = (text: string): Row[] => text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Row);
const policy = (row: Row | undefined, name: string) => row?.policies.find((entry) => entry.name === name);
const graphqlRequests = (server: FleetServer): number => server.served.requests.filter((request) => request.startsWith('POST /api/graphql')).length;

describe('audit and compliance frameworks', { timeout: 180_000 }, () => {
  it('a framework-scoped policy applies exactly to the projects with that framework, with the reason compose gives; one GraphQL request per 20 projects', async () => {
    const server = await fleet({ size: 45 });
    const result = await server.cli(AUDIT);
    expect(result.stderr).not.toMatch(/policy-sidecar:/);
    const rows = rowsOf(result.stdout);
    expect(rows).toHaveLength(45);
    for (const row of rows) {
      const audit = policy(row, 'Compliance audit');
      const index = row.id - 100_000;
      if (fleetFrameworksOf(index).includes(3)) {
        expect(audit, `project ${index}`).toMatchObject({ applied: true, reason: 'in scope: project has compliance framework 3' });
      } else {
        expect(audit, `project ${index}`).toMatchObject({
          applied: false,
          reason: 'out of scope: project has none of the compliance frameworks 3 of policy_scope.compliance_frameworks',
        });
      }
      expect(row.notes.join(' ')).not.toMatch(/compliance frameworks/);
    }
    expect(rows.filter((row) => policy(row, 'Compliance audit')?.applied === true)).toHaveLength(12);
    // 45 projects: batches of 20, 20 and 5, each project once.
    expect(server.fleet.frameworkQueries.map((paths) => paths.length)).toEqual([20, 20, 5]);
    expect(new Set(server.fleet.frameworkQueries.flat()).size).toBe(45);
  });

  it('no policy scoped by compliance frameworks: no GraphQL request for the fleet at all', async () => {
    const workspace = join(repoRoot, 'test/fixtures/fleet-no-frameworks');
    const server = await fleet({ size: 30 }, {}, workspace);
    const result = await server.cli(AUDIT);
    expect(result.stderr).not.toMatch(/policy-sidecar:/);
    const rows = rowsOf(result.stdout);
    expect(rows).toHaveLength(30);
    expect(policy(rows[0], 'Supply-chain checks')).toMatchObject({ applied: true });
    expect(server.fleet.frameworkQueries).toEqual([]);
    // From the request log: the GraphQL requests are the policy project's own reads, as many for
    // 30 projects as for 1 (none per audited project).
    const single = await fleet({ size: 1 }, {}, workspace);
    expect((await single.cli(AUDIT)).stderr).not.toMatch(/policy-sidecar:/);
    expect(graphqlRequests(server)).toBe(graphqlRequests(single));
    expect(graphqlRequests(server)).toBeLessThanOrEqual(1);
  });

  it('a project whose frameworks GraphQL cannot read gets a note, and the framework-scoped policy says unknown, not "not applied"', async () => {
    const server = await fleet({ size: 12, hiddenFromGraphql: new Set([4, 5]) });
    const result = await server.cli(AUDIT);
    expect(result.stderr).not.toMatch(/policy-sidecar:/);
    const rows = rowsOf(result.stdout);
    for (const index of [4, 5]) {
      const row = rows.find((entry) => entry.id === 100_000 + index);
      expect(row?.notes).toContain('compliance frameworks: GraphQL could not read them (the token needs read_api and access to the project)');
      expect(policy(row, 'Compliance audit')).toMatchObject({ applied: false, reason: 'unknown: compliance frameworks not readable' });
      // Policies that do not depend on frameworks are still judged.
      expect(policy(row, 'Supply-chain checks')).toMatchObject({ applied: true });
    }
    expect(policy(rows.find((entry) => entry.id === 100_008), 'Compliance audit')).toMatchObject({ applied: true });
    expect(rows.filter((row) => row.notes.some((note) => note.startsWith('compliance frameworks')))).toHaveLength(2);
  });

  it('a framework query refused with 403 makes its batch unknown (a note on each row); the other batches are judged; the run goes on', async () => {
    const server = await fleet({ size: 45, graphqlForbidden: new Set([25]) });
    const result = await server.cli(AUDIT);
    expect(result.stderr).not.toMatch(/policy-sidecar:/);
    const rows = rowsOf(result.stdout);
    expect(rows).toHaveLength(45);
    const unknown = rows.filter((row) => policy(row, 'Compliance audit')?.reason === 'unknown: compliance frameworks not readable').map((row) => row.id - 100_000);
    // The second batch (projects 20 to 39), every one of them; the other batches are judged.
    expect(unknown).toEqual(Array.from({ length: 20 }, (_, at) => 20 + at));
    expect(rows.filter((row) => row.notes.some((note) => note.startsWith('compliance frameworks'))).map((row) => row.id - 100_000)).toEqual(unknown);
    expect(policy(rows[0], 'Compliance audit')).toMatchObject({ applied: true, reason: 'in scope: project has compliance framework 3' });
    expect(policy(rows[44], 'Compliance audit')).toMatchObject({ applied: true });
  });
});
