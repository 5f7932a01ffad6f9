/**
 * audit as a CI job runs it: the real CLI process against the fleet stand-in over HTTP. Every
 * fault is switched on by project index or by projects served, never by a timer: 5xx and a
 * stalled answer mid-run (retried), 429 with Retry-After, 403 on some projects, a project
 * deleted after it was listed, a run broken off by an outage and resumed from its checkpoint.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import { CENTRAL } from '../http/fleet-gitlab.js';
import { newPgliteStoreFolder } from '../store/store-backends.js';
import { fleetsOfFile, TOKEN } from './fleet-cli.js';

const fleet = fleetsOfFile();

const AUDIT = ['audit', '--group', 'acme', '--central-config', CENTRAL];
type Row = { id: number; project: string; state: string; enforced: boolean; drift: { code: string }[]; notes: string[]; verified: string; pipeline: { status: string } | null; policies: { name: string; applied: boolean; reason: string }[] };
const rowsOf = (text: string): Row[] => text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Row);

describe('audit --group', { timeout: 180_000 }, () => {
  it('reports every non-archived project once, in id order, with enforcement, policies, pipeline, verdict and drift; exit 1 on findings', async () => {
    const server = await fleet({ size: 120 });
    const result = await server.cli([...AUDIT, '--format', 'jsonl', '--policy-project', 'security/policies']);
    expect(result.code, result.stderr).toBe(1);
    const rows = rowsOf(result.stdout);
    // 120 projects, indexes 49 and 99 archived.
    expect(rows).toHaveLength(118);
    expect(rows.map((row) => row.id)).toEqual([...rows.map((row) => row.id)].sort((a, b) => a - b));
    const byIndex = (index: number) => rows.find((row) => row.id === 100_000 + index);
    expect(byIndex(0)).toMatchObject({ enforced: true, verified: 'success', pipeline: { status: 'success' }, drift: [] });
    expect(byIndex(2)).toMatchObject({ enforced: false, ciConfigPath: null });
    expect(byIndex(3)?.drift.map((finding) => finding.code)).toContain('variable-shadows-predefined');
    expect(byIndex(4)?.drift.map((finding) => finding.code)).toContain('variable-overrides-sidecar');
    expect(byIndex(1)?.drift.map((finding) => finding.code)).toContain('pipeline-variables-developer');
    expect(byIndex(7)).toMatchObject({ pipeline: null, verified: 'none' });
    // The example policy scoped to group 10 (acme) applies to every project below it, with the reason.
    const supplyChain = byIndex(0)?.policies.find((policy) => policy.name === 'Supply-chain checks');
    expect(supplyChain).toMatchObject({ applied: true });
    expect(supplyChain?.reason).toMatch(/group/);
    expect(result.stderr).toMatch(/audit: done, 118 projects this run/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('--store: every row is also written to the policy store, one per project, rewritten when the same audit runs again', async () => {
    const server = await fleet({ size: 12 });
    const dir = await newPgliteStoreFolder('audit-store-');
    const first = await server.cli([...AUDIT, '--format', 'jsonl', '--policy-project', 'security/policies', '--store', dir]);
    expect(first.code, first.stderr).toBe(1);
    const again = await server.cli([...AUDIT, '--format', 'jsonl', '--policy-project', 'security/policies', '--store', dir]);
    expect(again.stdout).toBe(first.stdout);
    const db = await openPgliteClient(dir);
    try {
      const rows = await db.query<{ project_path: string; enforced: boolean | null; detail: Row }>('SELECT project_path, enforced, detail FROM audit_record ORDER BY project_path');
      const printed = rowsOf(first.stdout);
      expect(rows).toHaveLength(printed.length);
      const stored = new Map(rows.map((row) => [row.project_path, row]));
      for (const row of printed) {
        expect(stored.get(row.project)?.enforced).toBe(row.state === 'ok' ? row.enforced : null);
        expect(stored.get(row.project)?.detail).toEqual(row);
      }
    } finally {
      await db.close();
    }
  });

  it('403 on some projects is a note on their rows; the run goes on', async () => {
    const server = await fleet({ size: 30 });
    const result = await server.cli([...AUDIT, '--format', 'jsonl']);
    const rows = rowsOf(result.stdout);
    expect(rows).toHaveLength(30);
    const forbidden = rows.filter((row) => row.notes.some((note) => /variables: 403/.test(note)));
    expect(forbidden.map((row) => row.id - 100_000)).toEqual([5, 16, 27]);
  });

  it('5xx, a stalled answer and 429 + Retry-After mid-run are retried: the same rows as an undisturbed run', async () => {
    const clean = await fleet({ size: 40 });
    const expected = await clean.cli([...AUDIT, '--format', 'jsonl']);
    const faulty = await fleet({ size: 40, flaky: new Set([3, 17, 34]), stalled: new Set([23]), rateLimited: new Set([29]) });
    const result = await faulty.cli([...AUDIT, '--format', 'jsonl', '--http-timeout', '1']);
    expect(result.stderr).not.toMatch(/policy-sidecar:/);
    expect(result.stdout).toBe(expected.stdout);
    expect(faulty.served.requests.filter((request) => request.includes(`/projects/100017/pipelines/latest`))).toHaveLength(2);
    expect(faulty.served.requests.filter((request) => request.includes(`/projects/100029/variables`))).toHaveLength(2);
  });

  it('a project deleted after it was listed is reported as gone; the run goes on', async () => {
    const server = await fleet({ size: 12, gone: new Set([6]) });
    const rows = rowsOf((await server.cli([...AUDIT, '--format', 'jsonl'])).stdout);
    expect(rows).toHaveLength(12);
    expect(rows.find((row) => row.id === 100_006)).toMatchObject({ state: 'gone' });
  });

  it('an outage after 25 projects stops the run (exit 3, how to resume); the same command resumes: every project once, none skipped', async () => {
    const clean = await fleet({ size: 60 });
    const expected = (await clean.cli([...AUDIT, '--format', 'jsonl'])).stdout;
    const server = await fleet({ size: 60 });
    server.fleet.breakAfter(25);
    const args = [...AUDIT, '--format', 'jsonl', '--out', 'audit.jsonl', '--checkpoint', 'audit.checkpoint', '--http-retries', '1', '--concurrency', '4'];
    const first = await server.cli(args);
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/the run stopped after \d+ projects/);
    expect(first.stderr).toMatch(/resumes from .*audit\.checkpoint/);
    expect(first.stderr).toMatch(/audit: stopped, \d+ projects this run/);
    const partial = rowsOf(await readFile(join(server.folder, 'audit.jsonl'), 'utf8'));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(58);
    server.fleet.heal();
    const second = await server.cli(args);
    expect(second.code, second.stderr).toBe(1);
    expect(await readFile(join(server.folder, 'audit.jsonl'), 'utf8')).toBe(expected);
    // The resumed listing starts after the last project written (keyset id_after).
    expect(server.served.requests.some((request) => /\/groups\/acme\/projects\?.*id_after=/.test(request))).toBe(true);
  });

  it('--shard i/n (and CI_NODE_INDEX/CI_NODE_TOTAL) split the group; --merge joins the shards into the unsharded report', async () => {
    const server = await fleet({ size: 50 });
    const whole = await server.cli([...AUDIT, '--format', 'csv']);
    const shards: string[] = [];
    for (const index of [1, 2, 3]) {
      const out = `shard-${index}.jsonl`;
      await server.cli([...AUDIT, '--format', 'jsonl', '--out', out], { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: '3' });
      shards.push(out);
    }
    const sizes = await Promise.all(shards.map(async (path) => rowsOf(await readFile(join(server.folder, path), 'utf8')).length));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(49);
    expect(Math.min(...sizes)).toBeGreaterThan(10);
    const merged = await server.cli(['audit', ...shards.flatMap((path) => ['--merge', path]), '--format', 'csv']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    const explicit = await server.cli([...AUDIT, '--format', 'jsonl', '--shard', '2/3']);
    expect(explicit.stdout).toBe(await readFile(join(server.folder, 'shard-2.jsonl'), 'utf8'));
  });

  it('html: one self-contained page, no network, every row', async () => {
    const server = await fleet({ size: 10 });
    const result = await server.cli([...AUDIT, '--format', 'html']);
    expect(result.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(result.stdout).toContain("default-src 'none'");
    expect(result.stdout).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(result.stdout.match(/<tr class/g)).toHaveLength(10);
    expect(result.stdout).toMatch(/<\/html>\n$/);
  });

  it('a wrong --shard is a usage error (exit 2)', async () => {
    const server = await fleet({ size: 1 });
    const result = await server.cli([...AUDIT, '--shard', '4/3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shard must be i\/n/);
  });
});
