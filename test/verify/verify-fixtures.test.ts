/**
 * The workspace form of `verify` (issue 13): each test/fixtures/verify/<case>/ holds a pipeline's
 * recorded GitLab answers and expected.json (exit code, failed checks); the project and its
 * policies come from examples/workspace. One runner for every folder: a new case is a new folder
 * (written by write-fixtures.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { EXAMPLES } from './compose-good-report.js';
import { CENTRAL_CONFIG, PIPELINE_ID } from './recorded-pipelines.js';

const root = fileURLToPath(new URL('../fixtures/verify/', import.meta.url));
const cases = readdirSync(root).sort();

async function verifyRecords(records: string, extra: readonly string[] = []) {
  const out = await mkdtemp(join(tmpdir(), 'verify-'));
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (text: string) => void (stdout += text) }, stderr: { write: (text: string) => void (stderr += text) }, env: { POLICY_SIDECAR_CENTRAL_CONFIG: CENTRAL_CONFIG }, cwd: out };
  const code = await runCli(['verify', '--workspace', EXAMPLES, '--records', records, '--project', 'acme/web', '--pipeline', String(PIPELINE_ID), '--policy-project', 'security/policies', '--report', 'verdict.json', ...extra], io);
  const report = await readFile(join(out, 'verdict.json'), 'utf8').catch(() => undefined);
  return { code, stdout, stderr, report };
}

describe('verify --workspace --records', () => {
  it.each(cases)('%s', async (name) => {
    const expected = JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as { exitCode: number; failed: string[] };
    const { code, report, stderr } = await verifyRecords(join(root, name));
    expect(stderr).toBe('');
    expect(code).toBe(expected.exitCode);
    const verdict = JSON.parse(report ?? 'null') as { project: string; pipeline: number; sha: string; verified: boolean; checks: { name: string; ok: boolean; reason: string }[] };
    expect(Object.keys(verdict).slice(0, 4)).toEqual(['project', 'pipeline', 'sha', 'verified']);
    expect(verdict.verified).toBe(expected.exitCode === 0);
    expect(verdict.checks.filter((item) => !item.ok).map((item) => item.name)).toEqual(expected.failed);
    for (const item of verdict.checks) expect(item.reason).not.toBe('');
  });

  it('gives the same report twice (deterministic)', async () => {
    const first = await verifyRecords(join(root, 'policy-job-renamed'));
    const second = await verifyRecords(join(root, 'policy-job-renamed'));
    expect(first.report).toBe(second.report);
  });

  it('refuses --publish with recorded answers (exit 2)', async () => {
    const { code, stderr } = await verifyRecords(join(root, 'good-pipeline'), ['--publish']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--publish needs GitLab/);
  });

  it('a records folder without the pipeline is bad input (exit 2)', async () => {
    const { code, stderr } = await verifyRecords(join(root, 'good-pipeline', 'repository'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/project acme\/web was not found/);
  });
});
