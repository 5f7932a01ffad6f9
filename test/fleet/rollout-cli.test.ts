/**
 * rollout as a platform engineer runs it: the real CLI process against the fleet stand-in.
 * A plan changes nothing; --apply records each previous value before the change; --undo puts
 * back only what still holds rollout's value; --canary stops the rollout when a canary's
 * pipeline fails; an interrupted --apply resumes without changing a project twice.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRAL } from '../http/fleet-gitlab.js';
import { fleetsOfFile } from './fleet-cli.js';

const fleet = fleetsOfFile();

const ROLLOUT = ['rollout', '--group', 'acme', '--central-config', CENTRAL, '--format', 'jsonl'];
type Row = { id: number; outcome: string; previous: string | null; wanted: string | null; note: string };
const rowsOf = (text: string): Row[] => text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Row);
const outcomes = (rows: Row[]): Record<string, number> => rows.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row.outcome]: (counts[row.outcome] ?? 0) + 1 }), {});

describe('rollout --group --central-config', { timeout: 180_000 }, () => {
  it('plans by default: says what would change and changes nothing', async () => {
    const server = await fleet({ size: 24 });
    const result = await server.cli(ROLLOUT);
    expect(result.code, result.stderr).toBe(0);
    const rows = rowsOf(result.stdout);
    expect(outcomes(rows)).toEqual({ already: 16, 'would change': 8 });
    expect(server.fleet.writes).toEqual([]);
  });

  it('--apply records the previous values, then changes; 403 is reported per project (exit 1); --undo restores them', async () => {
    const server = await fleet({ size: 60 });
    const applied = await server.cli([...ROLLOUT, '--apply', '--undo-file', 'undo.jsonl']);
    expect(applied.code).toBe(1);
    const rows = rowsOf(applied.stdout);
    // Index 56 refuses the write (403): reported, the rest changed.
    expect(rows.find((row) => row.id === 100_056)).toMatchObject({ outcome: 'forbidden' });
    expect(outcomes(rows)).toEqual({ already: 39, changed: 19, forbidden: 1 });
    expect(server.fleet.configPathOf(56)).toBeNull();
    expect(server.fleet.configPathOf(2)).toBe(CENTRAL);
    const undo = rowsOf(await readFile(join(server.folder, 'undo.jsonl'), 'utf8'));
    expect(undo.find((entry) => entry.id === 100_002)).toMatchObject({ previous: null, wanted: CENTRAL });
    expect(undo.find((entry) => entry.id === 100_005)).toMatchObject({ previous: '.gitlab-ci.yml' });

    const plan = await server.cli(['rollout', '--undo', 'undo.jsonl', '--format', 'jsonl']);
    expect(outcomes(rowsOf(plan.stdout))).toEqual({ 'would restore': 19, kept: 1 });
    const restored = await server.cli(['rollout', '--undo', 'undo.jsonl', '--apply', '--format', 'jsonl']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(server.fleet.configPathOf(2)).toBeNull();
    expect(server.fleet.configPathOf(5)).toBe('.gitlab-ci.yml');
    expect(server.fleet.configPathOf(0)).toBe(CENTRAL);
  });

  it('--undo leaves a project whose Maintainer changed the setting since', async () => {
    const server = await fleet({ size: 6 });
    await server.cli([...ROLLOUT, '--apply', '--undo-file', 'undo.jsonl']);
    await server.cli([...ROLLOUT.slice(0, 4), 'their.yml@them/ci', '--apply', '--undo-file', 'theirs.jsonl', '--format', 'jsonl']);
    const undo = await server.cli(['rollout', '--undo', 'undo.jsonl', '--apply', '--format', 'jsonl']);
    expect(rowsOf(undo.stdout).every((row) => row.outcome === 'kept')).toBe(true);
    expect(server.fleet.configPathOf(2)).toBe('their.yml@them/ci');
  });

  it('--canary 2: changes two projects, runs their pipelines, waits for the verdict, then the rest', async () => {
    const server = await fleet({ size: 12 });
    const result = await server.cli([...ROLLOUT, '--apply', '--undo-file', 'undo.jsonl', '--canary', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/canary acme\/team-2\/app-2: passed/);
    expect(result.stderr).toMatch(/canary acme\/team-5\/app-5: passed/);
    const { writes } = server.fleet;
    const firstOther = writes.findIndex((write) => write.startsWith('PUT 8') || write.startsWith('PUT 11'));
    for (const canary of [`PUT 2 ${CENTRAL}`, `PUT 5 ${CENTRAL}`, 'POST pipeline 2', 'POST pipeline 5']) {
      expect(writes.indexOf(canary)).toBeGreaterThanOrEqual(0);
      expect(writes.indexOf(canary)).toBeLessThan(firstOther);
    }
    expect(outcomes(rowsOf(result.stdout))).toEqual({ already: 8, changed: 4 });
  });

  it('--canary: a failing canary pipeline stops the rollout (exit 1); the rest of the group is untouched', async () => {
    const server = await fleet({ size: 12, failingCanaries: new Set([5]) });
    const result = await server.cli([...ROLLOUT, '--apply', '--undo-file', 'undo.jsonl', '--canary', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/canary acme\/team-5\/app-5: FAILED: pipeline 2000005 failed/);
    expect(result.stderr).toMatch(/1 of 2 canary projects failed/);
    expect(server.fleet.configPathOf(8)).toBeNull();
    expect(server.fleet.configPathOf(11)).toBe('.gitlab-ci.yml');
  });

  it('an interrupted --apply resumes from the checkpoint: no project changed twice, none skipped', async () => {
    const server = await fleet({ size: 60 });
    const args = [...ROLLOUT, '--apply', '--undo-file', 'undo.jsonl', '--out', 'rollout.jsonl', '--checkpoint', 'rollout.checkpoint', '--http-retries', '0', '--concurrency', '2'];
    server.fleet.breakAfterWrites(5);
    const first = await server.cli(args);
    expect(first.code).toBe(3);
    server.fleet.heal();
    const second = await server.cli(args);
    expect(second.code).toBe(1);
    const rows = rowsOf(await readFile(join(server.folder, 'rollout.jsonl'), 'utf8'));
    expect(rows.map((row) => row.id)).toEqual([...new Set(rows.map((row) => row.id))]);
    expect(rows).toHaveLength(59);
    const puts = server.fleet.writes.filter((write) => write.startsWith('PUT'));
    expect(puts).toEqual([...new Set(puts)]);
  });
});
