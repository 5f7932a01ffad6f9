/**
 * The policy store at fleet scale (issue #15, docs/store.md): `sync` of N simulated projects and
 * 50 policies (5 policy projects × 10) from the local GitLab stand-in over HTTP: wall time, GitLab
 * requests per project, store size; then a second sync (nothing changed), and `projects show` and
 * `coverage` over that store (median of 20; goal < 50 ms on PostgreSQL). PostgreSQL runs when
 * POLICY_SIDECAR_TEST_DATABASE_URL names one, at BENCH_STORE_PROJECTS (default 10,000); PGlite at
 * BENCH_STORE_PGLITE_PROJECTS (default 10,000: about half a minute quiet, minutes on a busy machine).
 * BENCH_STORE_WRITES=1 adds the same syncs in-process from the workspace (the store's share).
 * Run alone: `npx tsx bench/store-sync.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../src/cli/run.js';
import { openStore, type StoreLocation } from '../src/store/open-store.js';
import { policyIdOf } from '../src/store/policy-id.js';
import { gitlabHandlersFor } from '../test/http/gitlab-handlers.js';
import { gitlabStoreHandlersFor } from '../test/http/gitlab-store-handlers.js';
import { serveHandlers } from '../test/http/serve-handlers.js';
import { openWorkspace } from '../src/sources/workspace/workspace-source.js';
import { workspaceHeadCommits } from '../src/sync/head-commits.js';
import { syncStore } from '../src/sync/sync-store.js';
import { mebibytes, printRows, timeRounds } from './measure.js';

const TOKEN = 'glpat-bench-token-0123456789';
const POLICY_PROJECTS = 5;
const POLICIES_PER_PROJECT = 10;
const GROUPS = 100;

export function generateFleet(projects: number): string {
  const root = mkdtempSync(join(tmpdir(), 'store-bench-'));
  const entries: Record<string, unknown> = {};
  for (let n = 0; n < projects; n += 1) {
    const group = n % GROUPS;
    entries[`fleet/g${group}/p${n}`] = {
      id: 100_000 + n,
      groups: [1, 10 + group],
      compliance_frameworks: n % 3 === 0 ? [3] : [],
      ...(n % 10 === 0 ? {} : { ci_config_path: 'pipeline.yml@platform/ci' }),
    };
  }
  const write = (path: string, content: unknown): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : stringify(content));
  };
  for (let p = 0; p < POLICY_PROJECTS; p += 1) {
    const path = `fleet/policies-${p}`;
    entries[path] = { id: 900 + p, groups: [1] };
    const peps = Array.from({ length: 5 }, (_, i) => ({
      name: `Checks ${p}.${i}`,
      enabled: true,
      pipeline_config_strategy: 'inject_policy',
      content: { include: [{ project: path, file: `ci/checks-${i}.yml` }] },
      // Scopes of every kind: all, one group in ten, a framework.
      ...(i === 1 ? { policy_scope: { groups: { including: Array.from({ length: 10 }, (_, g) => ({ id: 10 + g * 10 + p })) } } } : {}),
      ...(i === 2 ? { policy_scope: { compliance_frameworks: [{ id: 3 }] } } : {}),
    }));
    const seps = Array.from({ length: 5 }, (_, i) => ({
      name: `Scan ${p}.${i}`,
      enabled: true,
      rules: [{ type: 'pipeline', branches: ['*'] }],
      actions: [{ scan: 'secret_detection' }],
    }));
    write(`${path}/.gitlab/security-policies/policy.yml`, { pipeline_execution_policy: peps, scan_execution_policy: seps });
    for (let i = 0; i < 5; i += 1) write(`${path}/ci/checks-${i}.yml`, { [`check-${p}-${i}`]: { stage: '.pipeline-policy-pre', script: ['echo check'] } });
  }
  write('workspace.yml', { projects: entries });
  return root;
}

/** Wall milliseconds, and this process's CPU seconds (the CLI, PGlite's WebAssembly and the stand-in alike). */
async function syncOnce(url: string, dir: string, storeFlags: readonly string[]): Promise<{ ms: number; cpu: number }> {
  const policyFlags = Array.from({ length: POLICY_PROJECTS }, (_, p) => ['--policy-project', `fleet/policies-${p}`]).flat();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let stderr = '';
  const code = await runCli(['sync', '--gitlab-url', url, '--group', 'fleet', ...policyFlags, '--central-config', 'pipeline.yml@platform/ci', ...storeFlags, '--format', 'json'], {
    stdout: { write: () => undefined },
    stderr: { write: (text) => void (stderr += text) },
    env: { POLICY_SIDECAR_TOKEN: TOKEN },
    cwd: dir,
  });
  if (code !== 0) throw new Error(`sync failed: ${stderr}`);
  const cpu = process.cpuUsage(cpuStart);
  return { ms: performance.now() - start, cpu: (cpu.user + cpu.system) / 1e6 };
}

interface Target {
  readonly name: string;
  readonly projects: number;
  readonly flags: string[];
  readonly location: StoreLocation;
  readonly size: () => Promise<string>;
}

export async function benchStoreSync(
  serverProjects = Number(process.env['BENCH_STORE_PROJECTS'] ?? 10_000),
  pgliteProjects = Number(process.env['BENCH_STORE_PGLITE_PROJECTS'] ?? 10_000),
): Promise<void> {
  const serverUrl = process.env['POLICY_SIDECAR_TEST_DATABASE_URL'] || undefined;
  const pgliteDir = join(mkdtempSync(join(tmpdir(), 'store-bench-pglite-')), 'store');
  const targets: Target[] = [
    {
      name: 'PGlite',
      projects: pgliteProjects,
      flags: ['--store', pgliteDir],
      location: { kind: 'pglite', dir: pgliteDir },
      size: async () => `${execFileSync('du', ['-sh', pgliteDir], { encoding: 'utf8' }).split('\t')[0] ?? '?'} folder (PGlite's cluster files included)`,
    },
  ];
  if (serverUrl !== undefined) targets.unshift(await serverTarget(serverUrl, serverProjects));
  else console.log('\nPolicy store: PostgreSQL skipped (set POLICY_SIDECAR_TEST_DATABASE_URL to a database the bench may create schemas in)');
  const fleets = new Map<number, string>();
  for (const target of targets) {
    let dir = fleets.get(target.projects);
    if (dir === undefined) {
      dir = generateFleet(target.projects);
      fleets.set(target.projects, dir);
    }
    await benchTarget(target, dir);
  }
  if (process.env['BENCH_STORE_WRITES'] === '1') {
    for (const target of targets) await benchStoreWrites(fleets.get(target.projects) as string, target.projects, target.location.kind === 'postgres' ? target.location : { kind: 'pglite', dir: undefined });
  }
}

async function serverTarget(serverUrl: string, projects: number): Promise<Target> {
  const schema = `bench_${process.pid}`;
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const setup = await openStore({ kind: 'postgres', url: serverUrl, schema });
  await setup.close();
  return {
    name: 'PostgreSQL',
    projects,
    flags: ['--database-url', url.href],
    location: { kind: 'postgres', url: serverUrl, schema },
    size: async () => {
      const { openPostgresClient } = await import('../src/store/postgres-client.js');
      const client = await openPostgresClient({ url: serverUrl, schema });
      const [row] = await client.query<{ bytes: string }>(
        `SELECT SUM(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [schema],
      );
      await client.exec(`DROP SCHEMA ${schema} CASCADE`);
      await client.close();
      return `${mebibytes(Number(row?.bytes ?? 0))} of tables and indexes`;
    },
  };
}

async function benchTarget(target: Target, dir: string): Promise<void> {
  const { projects } = target;
  const server = await serveHandlers((baseUrl) => [...gitlabStoreHandlersFor(dir, { baseUrl, token: TOKEN }), ...gitlabHandlersFor(dir, { baseUrl, token: TOKEN })]);
  const supplyChain = policyIdOf('fleet/policies-0', 'pipeline_execution_policy', 'Checks 0.0');
  const first = await syncOnce(server.url, dir, target.flags);
  const firstRequests = server.requests.length;
  const second = await syncOnce(server.url, dir, target.flags);
  const secondRequests = server.requests.length - firstRequests;
  await server.close();
  const store = await openStore(target.location);
  const policy = (await store.findPolicies(supplyChain))[0];
  const showMs = await timeRounds(() => store.showProject(`fleet/g7/p${projects - 93}`));
  const coverageMs = await timeRounds(() => store.coverage(supplyChain, policy?.currentDigest ?? ''));
  const links = (await store.coverage(supplyChain, policy?.currentDigest ?? '')).length;
  await store.close();
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  printRows(`Policy store (load average ${load} on ${cpus().length} CPUs): sync of ${projects} projects and ${POLICY_PROJECTS * POLICIES_PER_PROJECT} policies from the GitLab stand-in into ${target.name}`, [
    ['first sync', `${(first.ms / 1000).toFixed(1)} s (${first.cpu.toFixed(1)} s CPU in this process), ${firstRequests} GitLab requests (${(firstRequests / projects).toFixed(3)} per project)`],
    ['second sync (nothing changed)', `${(second.ms / 1000).toFixed(1)} s (${second.cpu.toFixed(1)} s CPU in this process), ${secondRequests} GitLab requests (${(secondRequests / projects).toFixed(3)} per project)`],
    ['store size', await target.size()],
    ['projects show (median of 20)', `${showMs.toFixed(1)} ms`],
    [`coverage of one policy (${links} projects, median of 20)`, `${coverageMs.toFixed(1)} ms`],
  ]);
}

/**
 * The store's own share: the same sync in-process from the workspace (no HTTP), into a fresh
 * in-memory PGlite or a fresh PostgreSQL schema. What is left of the wall time above is GitLab's.
 */
async function benchStoreWrites(dir: string, count: number, target: StoreLocation): Promise<void> {
  const source = await openWorkspace(dir);
  const policyProjects = Array.from({ length: POLICY_PROJECTS }, (_, p) => `fleet/policies-${p}`);
  const projects = [...source.metadata.projects.entries()]
    .filter(([path]) => !policyProjects.includes(path))
    .map(([path, project]) => ({ path, ciConfigPath: project.ciConfigPath ?? null }));
  const input = { source, headCommit: workspaceHeadCommits(source), policyProjects, projects, centralConfig: 'pipeline.yml@platform/ci' };
  const location: StoreLocation = target.kind === 'postgres' ? { ...target, schema: `bench_writes_${process.pid}` } : target;
  const store = await openStore(location);
  const times: string[] = [];
  for (let run = 0; run < 2; run += 1) {
    const start = performance.now();
    await syncStore(store, input);
    times.push(`${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  await store.close();
  if (location.kind === 'postgres') {
    const { openPostgresClient } = await import('../src/store/postgres-client.js');
    const client = await openPostgresClient({ url: location.url });
    await client.exec(`DROP SCHEMA bench_writes_${process.pid} CASCADE`);
    await client.close();
  }
  printRows(`Policy store: the same sync of ${count} projects in-process from the workspace (store work only) into ${location.kind === 'postgres' ? 'PostgreSQL' : 'PGlite (in memory)'}`, [
    ['first sync', times[0] ?? ''],
    ['second sync (nothing changed)', times[1] ?? ''],
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStoreSync();
