/**
 * `-` in the output flags of the other commands (issue 14): standard output where the command
 * prints nothing else there, refused where it does, and refused for files that are read back
 * (`--checkpoint`, `--undo-file`). Never a file named `-`. In-process, nothing reaches GitLab:
 * every refusal comes before the first request.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/temp-workspace.js';

const USAGE = 2;
const UNREACHABLE = ['--gitlab-url', 'http://127.0.0.1:9'];
const TOKEN = { POLICY_SIDECAR_TOKEN: 'glpat-unused-0123456789' };
const ROLLOUT = ['rollout', ...UNREACHABLE, '--group', 'acme', '--central-config', 'pipeline.yml@platform/ci'];

describe('`-` in output flags', () => {
  it('audit --merge --out -: the merged report on standard output, no file named `-`', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'output-dash-'));
    writeFileSync(join(cwd, 'shard.jsonl'), '');
    const run = await runInProcess(['audit', '--merge', 'shard.jsonl', '--format', 'csv', '--out', '-'], cwd);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^project,enforced,/);
    expect(readdirSync(cwd)).toEqual(['shard.jsonl']);
  });

  it.each([
    [[...ROLLOUT, '--apply', '--undo-file', '-'], '--undo-file needs a file: `-` (standard output) cannot be read back'],
    [[...ROLLOUT, '--checkpoint', '-', '--out', 'rows.txt'], '--checkpoint needs a file: `-` (standard output) cannot be read back'],
    [['evaluate', ...UNREACHABLE, '--project', 'acme/web', '--report', '-'], 'the summary and --report - cannot both go to standard output'],
    [['evaluate', ...UNREACHABLE, '--project', 'acme/web', '--report', 'report.json', '--junit', '-'], 'the summary and --junit - cannot both go to standard output'],
    [['verify', ...UNREACHABLE, '--project', 'acme/web', '--pipeline', '7', '--report', '-'], 'the verdict and --report - cannot both go to standard output'],
  ])('%j: refused (exit 2) before any work, no file written', async (argv, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'output-dash-'));
    const run = await runInProcess(argv, cwd, TOKEN);
    expect([run.code, run.stdout]).toEqual([USAGE, '']);
    expect(run.stderr).toContain(message);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
