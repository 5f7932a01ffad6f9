/**
 * Every bad input ends in one clear message with file:line:column and a non-zero exit code,
 * never a stack trace. One folder per case under test/fixtures/cli/<case>/: `ws/` (a workspace),
 * `args` (the command line) and `expected.txt` (`exit N`, then a line the message must match,
 * where `*` stands for a number).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/temp-workspace.js';

const fixtures = join(import.meta.dirname, '../fixtures/cli');

function expectOneMessage(stderr: string, pattern: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^policy-sidecar: /);
  expect(lines.slice(1).every((line) => line.startsWith('  hint: ')), `only a hint may follow:\n${stderr}`).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at /);
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('\\d+');
  expect(lines[0]).toMatch(new RegExp(escaped));
}

describe('bad input ends in one message and a non-zero exit', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, async () => {
      const dir = join(fixtures, name);
      const argv = readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/);
      const [exitLine = '', pattern = ''] = readFileSync(join(dir, 'expected.txt'), 'utf8').split('\n');
      const { code, stderr } = await runInProcess(argv, dir);
      expect(code, stderr).toBe(Number(exitLine.replace('exit ', '')));
      expectOneMessage(stderr, pattern);
    });
  }

  it('oversized-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversized-'));
    mkdirSync(join(dir, 'ws/acme/app'), { recursive: true });
    const lines = Array.from({ length: 25_000 }, (_, index) => `    - echo "${index} ${'x'.repeat(90)}"\n`);
    writeFileSync(join(dir, 'ws/acme/app/.gitlab-ci.yml'), `job:\n  script:\n${lines.join('')}`);
    const { code, stderr } = await runInProcess(['compose', '--workspace', 'ws', '--project', 'acme/app'], dir);
    expect(code).toBe(2);
    expectOneMessage(stderr, 'more than the limit of 2097152 bytes');
  });

  it.each([
    [['compose', '--project', 'acme/app'], 'not in a GitLab CI job: CI_SERVER_URL is not set'],
    [['compose', '--workspace', 'nowhere', '--project', 'acme/app'], 'nowhere is not a directory'],
    [['compose', '--workspace', '.', '--project', 'acme/app', '--tag', 'v1', '--branch', 'x'], '--tag cannot be combined'],
    [['compose', '--workspace', '.', '--project', 'acme/app', '--var', 'not a pair'], '--var not a pair'],
    [['frobnicate'], 'unknown command frobnicate'],
  ])('usage: %j', async (argv, message) => {
    const { code, stderr } = await runInProcess(argv, fixtures);
    expect(code).toBeGreaterThan(1);
    expectOneMessage(stderr, message);
  });
});
