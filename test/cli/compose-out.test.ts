/**
 * `compose --out -` writes the composed YAML to standard output, and nothing else goes there
 * (issue 12, B.6); before, it wrote a file named `-`. The other output flags (`--pre-out`,
 * `--report`, `--junit`, and those of explain, evaluate, verify, audit, rollout) take `-` the same
 * way (issue 14), and two outputs that would share standard output are refused before any work.
 * Fixture: test/fixtures/compose-out/<case>/ws; the example workspace for a pre pipeline.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess } from '../helpers/temp-workspace.js';

const fixture = join(import.meta.dirname, '../fixtures/compose-out/stdout-dash');

const compose = runInProcess;

describe('compose --out', () => {
  it('stdout-dash: `--out -` writes the YAML to standard output and creates no file', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    cpSync(fixture, cwd, { recursive: true });
    const base = ['compose', '--workspace', 'ws', '--project', 'acme/app', '--branch', 'main', '--source', 'push', '--allow-no-policies'];
    const dashed = await compose([...base, '--out', '-', '--summary'], cwd);
    expect(dashed.code, dashed.stderr).toBe(0);
    expect(existsSync(join(cwd, '-'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['ws']);
    // Only the YAML: it parses, and equals what the default (no --out) writes.
    const plain = await compose(base, cwd);
    expect(dashed.stdout).toBe(plain.stdout);
    expect(parse(dashed.stdout)).toHaveProperty('build');
    // The summary went to standard error, not into the YAML.
    expect(dashed.stderr).not.toBe('');
  });
});

const examples = resolve('examples/workspace');
const exampleCompose = ['compose', '--workspace', examples, '--project', 'acme/web', '--policy-project', 'security/policies', '--branch', 'main', '--source', 'push'];
const USAGE = 2;

describe('`-` for the other output flags', () => {
  it('`--pre-out -` with `--out FILE`: the pre pipeline goes to standard output, the composed one to the file, no file named `-`', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    const dashed = await compose([...exampleCompose, '--out', 'policy-pipeline.yml', '--pre-out', '-'], cwd);
    expect(dashed.code, dashed.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual(['policy-pipeline.yml']);
    const files = await compose([...exampleCompose, '--out', 'policy-pipeline.yml', '--pre-out', 'pre.yml'], cwd);
    expect(files.code, files.stderr).toBe(0);
    expect(dashed.stdout).toBe(readFileSync(join(cwd, 'pre.yml'), 'utf8'));
    expect(parse(dashed.stdout)).toBeTypeOf('object');
  });

  it.each([
    [['--pre-out', '-'], 'the composed pipeline (no --out FILE) and --pre-out - cannot both go to standard output'],
    [['--out', '-', '--pre-out', '-'], 'the composed pipeline (no --out FILE) and --pre-out - cannot both go to standard output'],
    [['--out', 'policy-pipeline.yml', '--report', '-', '--junit', '-'], '--report - and --junit - cannot both go to standard output'],
  ])('compose %j: refused before composing (exit 2), nothing written', async (flags, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    const run = await compose([...exampleCompose, ...flags], cwd);
    expect([run.code, run.stdout]).toEqual([USAGE, '']);
    expect(run.stderr).toContain(message);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('`--report -` with `--out FILE`: the JSON report on standard output', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    const run = await compose([...exampleCompose, '--out', 'policy-pipeline.yml', '--report', '-'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('policies');
    expect(readdirSync(cwd)).toEqual(['policy-pipeline.yml']);
  });

  it('explain `--report -`: refused, standard output is the explanation', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'compose-out-'));
    const run = await compose(['explain', ...exampleCompose.slice(1), '--report', '-'], cwd);
    expect([run.code, run.stdout]).toEqual([USAGE, '']);
    expect(run.stderr).toContain('the explanation and --report - cannot both go to standard output');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
